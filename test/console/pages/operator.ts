import { totpAt } from '@app/identity';
import type { Page } from 'playwright-core';
import { buttonName, signIn } from '../../support/browser.js';

/** Page helpers for the operator's and the overseers' sign-in; no test code. */

/** Signs an operator or regulator in with the TOTP code of `now` (the API's clock) computed from its seed. */
export async function signInOverseer(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  totpSecret: string,
  now: Date,
): Promise<void> {
  await signIn(page, baseUrl, username, { password, totp: totpAt(totpSecret, now) });
}

/**
 * On the TOTP page of a session that still owes its second factor: starts enrolment, reads the seed shown beside
 * the QR code, and confirms with the code of `now`. Returns the seed.
 */
export async function enrolTotp(page: Page, baseUrl: string, now: () => Date): Promise<string> {
  await page.goto(`${baseUrl}/account/totp`);
  await page.getByRole('button', { name: /^(开始绑定|Start set-up)$/ }).click();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await page
    .getByLabel(/^(身份验证器上显示的 6 位验证码|The 6-digit code your authenticator shows)$/)
    .fill(totpAt(secret, now()));
  await page.keyboard.press('Enter');
  await page.getByText(/^(本账户已启用动态验证码|The authenticator code is on)/).waitFor();
  return secret;
}

/** Signs out through the header's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(退出登录|Sign out)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /^(登录数据交易平台|Sign in)/ }).waitFor();
}

/** Clicks an action in the table row that shows `subject` (a party's name, an asset's or listing's title). */
export async function rowAction(page: Page, action: string, subject: string): Promise<void> {
  await page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: subject, exact: true }) })
    .getByRole('button', { name: buttonName(action) })
    .click();
}

/** Confirms the open dialog with its OK button, giving `reason` when asked. */
export async function confirmDialog(page: Page, okText: string, reason?: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (reason !== undefined) await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: buttonName(okText) }).click();
  await dialog.waitFor({ state: 'hidden' });
}
