import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// Types only: the bench imports this file without the API in its process (useConsoleWorld loads both when it runs).
import type { TestApp } from './test-app.js';
import type { World } from './world.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the browser tests leave their screenshots (kept after the run; git ignores it). */
export const OUTPUT_DIR = join(ROOT, 'test-output', 'console');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches the network on its own and a profile of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds dist/ (the console included) when a source changed since the last build: the API serves dist/console. */
export function buildConsoleIfStale(): void {
  execFileSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ConsoleBrowser {
  browser: Browser;
  /** A fresh context (no storage) in the given language, Beijing time on a machine in any zone. */
  context(language?: 'zh' | 'en'): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  // Playwright gives each launch a fresh profile of its own (a temporary --user-data-dir) and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  return {
    browser,
    context: async (language = 'zh') => {
      const context = await browser.newContext({
        locale: language === 'zh' ? 'zh-CN' : 'en-GB',
        timezoneId: 'Europe/London',
        viewport: { width: 1366, height: 900 },
      });
      await context.addInitScript((lang) => localStorage.setItem('dx.language', lang), language);
      return context;
    },
    close: () => browser.close(),
  };
}

/** Saves a full-page screenshot as test-output/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource: string = (() => {
  const require = createRequire(import.meta.url);
  return (require('axe-core') as { source: string }).source;
})();

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** The serious and critical WCAG violations axe-core finds on the page as it stands. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated, not added as a script tag: the console's CSP allows only its own scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // The page's globals: the server's tsconfig has no DOM types.
    const page = globalThis as any;
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return (result.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string | null,
      help: v.help as string,
      nodes: (v.nodes as any[]).slice(0, 5).map((n) => String(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Message keys the page asked for that the catalogue lacks, and any marker of one left on the page. */
export async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const page = globalThis as any;
    const missing: string[] = page.__missingMessages ?? [];
    const markers: string[] = page.document.body.innerText.match(/⟦[^⟧]*⟧/g) ?? [];
    return [...new Set([...missing, ...markers])];
  });
}

/**
 * Everything a main page must pass: a screenshot saved, no serious or critical axe violation, no untranslated key,
 * one main landmark.
 * Returns the problems found, so the test's failure lists them all.
 */
export async function checkMainPage(page: Page, name: string): Promise<string[]> {
  // A table or a page still loading is not what the user reads.
  await settled(page);
  await screenshot(page, name);
  const problems: string[] = [];
  for (const v of await seriousAccessibilityViolations(page))
    problems.push(`${name}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  for (const key of await untranslated(page)) problems.push(`${name}: untranslated ${key}`);
  // One main landmark: a skip link and a screen reader's "main" go to one place (axe rates a second only moderate).
  const mains = await page.getByRole('main').count();
  if (mains !== 1) problems.push(`${name}: ${mains} main landmarks`);
  return problems;
}

/** The problems checkMainPage finds over a test, gathered so that one assertion at the end lists them all. */
export function mainPageChecks(): { problems: string[]; check(page: Page, name: string): Promise<void> } {
  const problems: string[] = [];
  return {
    problems,
    check: async (page, name) => {
      problems.push(...(await checkMainPage(page, name)));
    },
  };
}

/**
 * Waits until the page has settled: no spinner, no table still dimmed by its loading state, and no CSS transition
 * still running (a table fading back from its dimmed state is what axe would measure the contrast of).
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    // The page's globals: the server's tsconfig has no DOM types.
    const doc = (globalThis as any).document;
    if (doc.querySelector('.ant-spin-spinning, .ant-spin-blur')) return false;
    return !(doc.getAnimations() as any[]).some(
      (a) => a.constructor.name === 'CSSTransition' && a.playState === 'running',
    );
  });
}

/**
 * A button's accessible name: Ant Design puts a space between the two characters of a two-character Chinese
 * label ("准 入"), so match with or without it.
 */
export const buttonName = (text: string): RegExp =>
  new RegExp(`^${[...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s?')}$`);

/** Presses a button the way a keyboard user does: focus, then Enter. */
export async function pressButton(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('button', { name }).focus();
  await page.keyboard.press('Enter');
}

export interface SignInOptions {
  /** The world's PASSWORD (test/support/world.ts) unless given. */
  password?: string;
  /** The TOTP code, for an operator or regulator with TOTP on. */
  totp?: string;
}

/** Fills the sign-in form at `baseUrl` and sends it by keyboard, without waiting for the outcome. */
export async function submitSignIn(
  page: Page,
  baseUrl: string,
  username: string,
  { password, totp }: SignInOptions = {},
): Promise<void> {
  password ??= (await import('./world.js')).PASSWORD;
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(/^(用户名|Username)$/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  if (totp) await page.getByLabel(/^(动态验证码|One-time code)$/).fill(totp);
  await page.keyboard.press('Enter');
}

/** Signs in through the sign-in page, by keyboard, and waits for the shell. */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  options: SignInOptions = {},
): Promise<void> {
  await submitSignIn(page, baseUrl, username, options);
  await page.getByRole('button', { name: /^(退出登录|Sign out)$/ }).waitFor();
}

/** Opens `path` and waits for its level-1 heading (its text, when given) and for the page to settle. */
export async function openPage(
  page: Page,
  baseUrl: string,
  path: string,
  heading?: string | RegExp,
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page
    .getByRole('heading', { level: 1, ...(heading === undefined ? {} : { name: heading }) })
    .waitFor();
  await settled(page);
}

export interface ConsoleWorld {
  t: TestApp;
  world: World;
  browser: ConsoleBrowser;
}

/**
 * What every browser test file sets up: the console built if stale, the API on a fresh database, a World over it and
 * one Chromium for the file, all closed after it. The hooks are registered here; the three are usable from the
 * file's own beforeAll (registered after this call) on.
 */
export function useConsoleWorld(): ConsoleWorld {
  const current: Partial<ConsoleWorld> = {};
  beforeAll(async () => {
    buildConsoleIfStale();
    const [{ startTestApp }, { World }] = await Promise.all([import('./test-app.js'), import('./world.js')]);
    // The API and Chromium start side by side.
    const [t, browser] = await Promise.all([startTestApp(), launchConsoleBrowser()]);
    Object.assign(current, { t, browser, world: new World(t) });
  }, 180_000);
  afterAll(async () => {
    await current.browser?.close();
    await current.t?.close();
  });
  return {
    t: lateBound(current, 't'),
    world: lateBound(current, 'world'),
    browser: lateBound(current, 'browser'),
  };
}

/** Stands for `holder[key]` once a beforeAll has set it (methods bound to it), so a file can name it up front. */
function lateBound<T extends object, K extends keyof T>(holder: Partial<T>, key: K): T[K] & object {
  const target = () => {
    const value = holder[key];
    if (value === undefined) throw new Error(`${String(key)} is used before useConsoleWorld's beforeAll ran`);
    return value as T[K] & object;
  };
  return new Proxy({} as T[K] & object, {
    get: (_, property) => {
      const object = target();
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
    set: (_, property, value) => Reflect.set(target(), property, value),
    has: (_, property) => Reflect.has(target(), property),
  });
}
