import type { Page } from 'playwright-core';

/** Page helpers for the account pages; no test code. */

/**
 * Creates an API token on the tokens page and returns it as the one-time dialog shows it; closes the dialog.
 * `scope` is the checkbox's label (e.g. "运营方 · 读写").
 */
export async function createApiToken(
  page: Page,
  baseUrl: string,
  name: string,
  scope: string,
  days?: number,
): Promise<string> {
  await page.goto(`${baseUrl}/account/tokens`);
  await page.getByLabel(/^(名称|Name)$/).fill(name);
  await page.getByLabel(scope, { exact: true }).check();
  if (days !== undefined) await page.getByLabel(/^(有效天数|Valid for \(days\))$/).fill(String(days));
  await page.getByRole('button', { name: /^(生成令牌|Create token)$/ }).click();
  const dialog = page.getByRole('dialog');
  const token = await dialog.getByLabel(/^(令牌|Token)$/).inputValue();
  await dialog.getByRole('button', { name: /^(我已妥善保存|I have saved it)$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  return token;
}

export interface SignUpFields {
  kind: 'organisation' | 'person';
  name: string;
  identifier: string;
  roles: ('merchant' | 'buyer')[];
  username: string;
  displayName: string;
  password: string;
}

/** Fills and sends the public sign-up form (Chinese labels), and waits for its confirmation. */
export async function signUp(page: Page, baseUrl: string, f: SignUpFields): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  if (f.kind === 'person') await page.getByLabel('自然人').check();
  await page.getByLabel(f.kind === 'organisation' ? /^单位名称/ : /^姓名/).fill(f.name);
  await page.getByLabel(f.kind === 'organisation' ? '统一社会信用代码' : '居民身份证号码').fill(f.identifier);
  for (const [role, label] of [
    ['merchant', '数据商'],
    ['buyer', '需方'],
  ] as const) {
    const box = page.getByLabel(label, { exact: true });
    if (f.roles.includes(role)) await box.check();
    else await box.uncheck();
  }
  await page.getByLabel('用户名', { exact: true }).fill(f.username);
  await page.getByLabel('管理员姓名').fill(f.displayName);
  await page.getByLabel('登录密码').fill(f.password);
  await page.getByRole('button', { name: '提交注册申请' }).click();
  await page.getByText('的注册申请已提交').waitFor();
}
