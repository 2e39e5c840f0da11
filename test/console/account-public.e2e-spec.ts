import { jest } from '@jest/globals';
import { mainPageChecks, useConsoleWorld } from '../support/browser.js';
import { PASSWORD, newCreditCode, newResidentId, uniqueName } from '../support/world.js';
import { signUp } from './pages/account.js';

jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();

describe('the public account pages', () => {
  it('signs an organisation and a natural person up, pending admission', async () => {
    const { problems, check } = mainPageChecks();
    const context = await browser.context('zh');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/sign-up`);
    await page.getByRole('heading', { level: 1, name: '注册入驻数据交易平台' }).waitFor();
    await check(page, 'signup-zh');
    const org = { username: uniqueName('org'), creditCode: newCreditCode() };
    await signUp(page, t.baseUrl, {
      kind: 'organisation',
      name: `海东数据科技有限公司 ${org.username}`,
      identifier: org.creditCode,
      roles: ['merchant', 'buyer'],
      username: org.username,
      displayName: '张三',
      password: PASSWORD,
    });
    const person = { username: uniqueName('per') };
    await signUp(page, t.baseUrl, {
      kind: 'person',
      name: '李四',
      identifier: newResidentId(),
      roles: ['buyer'],
      username: person.username,
      displayName: '李四',
      password: PASSWORD,
    });
    // The API agrees: both signed up, pending, with the roles asked for.
    const operator = (await world.overseer('operator')).client;
    const listed = (await operator.get('/v1/organisations?status=pending')).body.organisations as {
      name: string;
      kind: string;
      identifier: string;
      roles: string[];
    }[];
    expect(listed.find((o) => o.name.endsWith(org.username))).toMatchObject({
      kind: 'organisation',
      identifier: org.creditCode,
      roles: expect.arrayContaining(['merchant', 'buyer']),
    });
    expect(listed.find((o) => o.name === '李四')).toMatchObject({ kind: 'person', roles: ['buyer'] });
    // Pending, the person can sign in but holds no role yet.
    expect((await (await world.login(person.username)).get('/v1/auth/me')).body.roles).toEqual([]);

    // A wrong credit code is refused in the API's words.
    await page.goto(`${t.baseUrl}/sign-up`);
    await page.getByLabel(/^单位名称/).fill('错误代码公司');
    await page.getByLabel('统一社会信用代码').fill('91110000000000000X');
    await page.getByLabel('用户名', { exact: true }).fill(uniqueName('bad'));
    await page.getByLabel('管理员姓名').fill('王五');
    await page.getByLabel('登录密码').fill(PASSWORD);
    await page.getByRole('button', { name: '提交注册申请' }).click();
    const refusal = page.locator('#main').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/credit/i);

    const en = await browser.context('en');
    const enPage = await en.newPage();
    await enPage.goto(`${t.baseUrl}/sign-up`);
    await enPage.getByRole('heading', { level: 1, name: 'Sign up with the data exchange' }).waitFor();
    await check(enPage, 'signup-en');
    await en.close();
    await context.close();
    expect(problems).toEqual([]);
  });

  it('redeems an overseer enrolment link: the password chosen in the browser signs in', async () => {
    const { problems, check } = mainPageChecks();
    const operator = (await world.overseer('operator')).client;
    const username = uniqueName('reg');
    const registered = await operator.post('/v1/organisations/overseers', {
      name: `海东市数据局 ${username}`,
      creditCode: newCreditCode(),
      role: 'regulator',
      admin: { username, displayName: '李卫' },
    });
    expect(registered.status).toBe(201);
    const link = registered.body.enrolment.token as string;
    const context = await browser.context('zh');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/enrol?token=${link}`);
    await page.getByRole('heading', { level: 1, name: '激活运营方 / 监管方账户' }).waitFor();
    await check(page, 'account-enrol-zh');
    await page.getByLabel('新密码', { exact: true }).fill(PASSWORD);
    await page.getByLabel('再次输入新密码').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText(`账户 ${username} 已激活`).waitFor();
    const session = await world.login(username);
    expect((await session.get('/v1/auth/me')).body).toMatchObject({
      roles: ['regulator'],
      secondFactorDone: false,
    });
    // Used once: a second redemption is refused in the API's words.
    await page.goto(`${t.baseUrl}/enrol?token=${link}`);
    await page.getByLabel('新密码', { exact: true }).fill(PASSWORD);
    await page.getByLabel('再次输入新密码').fill(PASSWORD);
    await page.keyboard.press('Enter');
    const refusal = page.locator('#main').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/enrolment link/i);
    await context.close();
    expect(problems).toEqual([]);
  });
});
