import { jest } from '@jest/globals';
import { mainPageChecks, openPage, useConsoleWorld } from '../support/browser.js';
import { PASSWORD } from '../support/world.js';
import { signInOverseer } from './pages/operator.js';

jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();

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

describe('the operator pages in English', () => {
  it('pass the checks of a main page, with the shell in English', async () => {
    const operator = await world.overseer('operator');
    const pending = await world.party(['merchant']);
    const context = await browser.context('en');
    const page = await context.newPage();
    // world.overseer used this step's code to enrol: a code is good once, so sign in with the next one.
    t.clock.advance(30_000);
    await signInOverseer(page, t.baseUrl, operator.username, PASSWORD, operator.totpSecret, t.clock.now());
    const { problems, check } = mainPageChecks();
    for (const [name, path] of MAIN_PAGES) {
      await openPage(page, t.baseUrl, path);
      if (name === 'operator-admissions')
        await page.getByRole('cell', { name: `Party ${pending.username}`, exact: true }).waitFor();
      await check(page, `${name}-en`);
    }
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Suspensions');
    await context.close();
    expect(problems).toEqual([]);
  });
});
