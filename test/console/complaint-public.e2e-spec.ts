import { jest } from '@jest/globals';
import { mainPageChecks, useConsoleWorld } from '../support/browser.js';
import { choose } from './pages/buyer.js';

jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();

describe('a complaint from the public page', () => {
  it('is filed without an account, its receipt code shown once, and followed by that code alone', async () => {
    const { problems, check } = mainPageChecks();
    const context = await browser.context('zh');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/complaints`);
    await page.getByRole('heading', { level: 1, name: '我要投诉' }).waitFor();
    await check(page, 'complaint-zh');

    // A subject id without its kind is refused in the form, before anything is sent.
    await choose(page, 'complaint-category', '侵犯个人信息');
    await page.getByLabel('被投诉对象编号（选填）').fill('0b6b6c1e-2f0a-4b1e-9a47-3f8a3c1d2e4f');
    await page.getByLabel('投诉内容').fill('该挂牌数据含未脱敏的手机号。');
    await page.getByRole('button', { name: '提交投诉' }).click();
    await page.getByText('请先选择被投诉对象类型').waitFor();
    await page.getByLabel('被投诉对象编号（选填）').fill('');
    await page.getByLabel('投诉内容').focus();
    await page.keyboard.press('Tab'); // to the contact field, then submit by keyboard
    await page.keyboard.type('138 0000 0000');
    await page.getByRole('button', { name: '提交投诉' }).focus();
    await page.keyboard.press('Enter');
    const receipt = (await page.getByTestId('receipt-code').innerText()).trim();
    expect(receipt).toMatch(/^DXC-[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);

    // The regulator sees it, anonymous, and triages it with a word for the reporter.
    const regulator = (await world.overseer('regulator')).client;
    const listed = await regulator.get('/v1/complaints?state=received');
    const complaint = (listed.body.items as any[]).find(
      (c) => c.statement === '该挂牌数据含未脱敏的手机号。',
    );
    expect(complaint).toMatchObject({ category: 'privacy-violation', reporterOrganisationId: null });
    expect(
      (await regulator.post(`/v1/complaints/${complaint.id}/triage`, { publicNote: '已受理，正在核实。' }))
        .status,
    ).toBe(200);

    await page.getByLabel('回执码').fill(receipt);
    await page.getByRole('button', { name: '查询' }).click();
    const status = page.getByTestId('complaint-status');
    await status.getByText('已受理', { exact: true }).waitFor();
    expect(await status.innerText()).toContain('已受理，正在核实。');
    await context.close();

    const en = await (await browser.context('en')).newPage();
    await en.goto(`${t.baseUrl}/complaints`);
    await en.getByRole('heading', { level: 1, name: 'Report a violation' }).waitFor();
    await check(en, 'complaint-en');
    await en.context().close();
    expect(problems).toEqual([]);
  });
});
