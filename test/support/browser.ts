import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
 * Everything a main page must pass: a screenshot saved, no serious or critical axe violation, no untranslated key.
 * Returns the problems found, so the test's failure lists them all.
 */
export async function checkMainPage(page: Page, name: string): Promise<string[]> {
  // A table or a page still loading is not what the user reads: wait for the spinners to go.
  await page.waitForFunction("!document.querySelector('.ant-spin-spinning')");
  await screenshot(page, name);
  const problems: string[] = [];
  for (const v of await seriousAccessibilityViolations(page))
    problems.push(`${name}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  for (const key of await untranslated(page)) problems.push(`${name}: untranslated ${key}`);
  return problems;
}
