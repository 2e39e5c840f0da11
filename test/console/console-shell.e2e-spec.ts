import { jest } from '@jest/globals';
import { mainPageChecks, submitSignIn, useConsoleWorld } from '../support/browser.js';
import { PASSWORD } from '../support/world.js';

jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();

describe('the console at /', () => {
  it('is served beside the API, which keeps its JSON answers', async () => {
    const html = await fetch(`${t.baseUrl}/merchant/assets`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('<div id="root">');
    const api = await fetch(`${t.baseUrl}/v1/nowhere`, { headers: { accept: 'text/html,*/*' } });
    expect([api.status, ((await api.json()) as { code: string }).code]).toEqual([404, 'not_found']);
    // A production build, whoever started it (these tests run with NODE_ENV=test): React's development build links
    // its warnings to react.dev/link and is a quarter larger.
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(
      await (await fetch(`${t.baseUrl}/`, { headers: { accept: 'text/html' } })).text(),
    );
    const script = await (await fetch(`${t.baseUrl}${entry![1]}`)).text();
    expect(script.includes('react.dev/link/')).toBe(false);
    const curl = await fetch(`${t.baseUrl}/nowhere`);
    expect([curl.status, ((await curl.json()) as { code: string }).code]).toEqual([404, 'not_found']);
  });

  it('signs in by keyboard, in Chinese by default and in English at one click', async () => {
    const operator = await world.overseer('operator');
    const party = await world.party(['buyer'], operator.client);
    const context = await browser.context('zh');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('登录数据交易平台');
    const { problems, check } = mainPageChecks();
    await check(page, 'sign-in-zh');
    // The username field has the focus on arrival; the rest is reached with Tab.
    await page.keyboard.type(party.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await check(page, 'home-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says what the API refused, in its words', async () => {
    const context = await browser.context('en');
    const page = await context.newPage();
    await submitSignIn(page, t.baseUrl, 'nobody-here');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(
      /^sign-in failed: check the username and password/,
    );
    await context.close();
  });
});
