import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  buildConsoleIfStale,
  checkMainPage,
  launchConsoleBrowser,
  type ConsoleBrowser,
} from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { PASSWORD, World } from '../support/world.js';
import { signInOverseer } from './pages/operator.js';

jest.setTimeout(120_000);

let t: TestApp;
let browser: ConsoleBrowser;
let world: World;

beforeAll(async () => {
  buildConsoleIfStale();
  t = await startTestApp();
  world = new World(t);
  browser = await launchConsoleBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The operator's and account's main pages (the journey in operator-journey.e2e-spec.ts checks them in Chinese). */
const MAIN_PAGES = [
  ['account-totp', '/account/totp'],
  ['account-tokens', '/account/tokens'],
  ['operator-admissions', '/operator/admissions'],
  ['operator-assets', '/operator/assets'],
  ['operator-listings', '/operator/listings'],
  ['operator-purposes', '/operator/purposes'],
  ['operator-disputes', '/operator/disputes'],
  ['operator-suspensions', '/operator/suspensions'],
] as const;

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(`${t.baseUrl}${path}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

describe('the operator pages in English', () => {
  it('pass the checks of a main page, with the shell in English', async () => {
    const operator = await world.overseer('operator');
    const pending = await world.party(['merchant']);
    const context = await browser.context('en');
    const page = await context.newPage();
    // world.overseer used this step's code to enrol: a code is good once, so sign in with the next one.
    t.clock.advance(30_000);
    await signInOverseer(page, t.baseUrl, operator.username, PASSWORD, operator.totpSecret, t.clock.now());
    const problems: string[] = [];
    for (const [name, path] of MAIN_PAGES) {
      await visit(page, path);
      if (name === 'operator-admissions')
        await page.getByRole('cell', { name: `Party ${pending.username}`, exact: true }).waitFor();
      problems.push(...(await checkMainPage(page, `${name}-en`)));
    }
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Suspensions');
    await context.close();
    expect(problems).toEqual([]);
  });
});
