import { Wallet, getBytes, type HDNodeWallet, type TypedDataField } from 'ethers';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * What a browser test does on the contracts pages, as a person would: register a signing address, sign a contract
 * with a keystore file or an injected wallet, pay it (signing in is support/browser.ts's). Labels are matched in
 * Chinese and in English.
 */

const OK_MESSAGE = '.ant-message-notice-success';

/**
 * Gives every page of the context a minimal EIP-1193 wallet (window.ethereum) whose key stays in the test's Node:
 * eth_requestAccounts answers the wallet's address, personal_sign and eth_signTypedData_v4 sign with it.
 */
export async function installInjectedWallet(
  context: BrowserContext,
  wallet: Wallet | HDNodeWallet,
): Promise<void> {
  await context.exposeFunction('__testWalletRequest', async (method: string, params: unknown[]) => {
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [wallet.address];
      case 'personal_sign':
        return wallet.signMessage(getBytes(params[0] as string));
      case 'eth_signTypedData_v4': {
        const payload = JSON.parse(params[1] as string) as {
          domain: Record<string, unknown>;
          types: Record<string, TypedDataField[]>;
          message: Record<string, unknown>;
        };
        // ethers implies the domain's type; the JSON-RPC payload spells it out.
        const types = { ...payload.types };
        delete types.EIP712Domain;
        return wallet.signTypedData(payload.domain, types, payload.message);
      }
      default:
        throw new Error(`the test wallet does not do ${method}`);
    }
  });
  await context.addInitScript(() => {
    const page = globalThis as any;
    page.ethereum = {
      isTestWallet: true,
      request: ({ method, params }: { method: string; params?: unknown[] }) =>
        page.__testWalletRequest(method, params ?? []),
    };
  });
}

/** Chooses the keystore file (from memory, as a person's file input would) and opens it with its password. */
async function openKeystore(page: Page, keystoreJson: string, password: string): Promise<void> {
  await page.getByLabel(/^(keystore 文件|Keystore file)$/).setInputFiles({
    name: 'keystore.json',
    mimeType: 'application/json',
    buffer: Buffer.from(keystoreJson),
  });
  // By keyboard: Enter in the password field opens the key.
  await page.getByLabel(/^(keystore 密码|Keystore password)$/).fill(password);
  await page.keyboard.press('Enter');
  await page.getByTestId('signer-address').waitFor();
}

async function connectWallet(page: Page): Promise<void> {
  await page.getByText(/^(浏览器钱包|Browser wallet)$/).click();
  await page.getByRole('button', { name: /连接钱包|Connect the wallet/ }).click();
  await page.getByTestId('signer-address').waitFor();
}

/** Opens `url` unless the page shows it already (a test that just checked the page goes on from there). */
async function openUnlessShown(page: Page, url: string): Promise<void> {
  if (page.url() !== url) await page.goto(url);
}

async function registerWith(page: Page, baseUrl: string, open: () => Promise<void>): Promise<string> {
  await openUnlessShown(page, `${baseUrl}/signing-address`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await open();
  const address = await page.getByTestId('signer-address').innerText();
  await page.getByRole('button', { name: /签署验证文本并登记|Sign the challenge and register/ }).click();
  await page.getByTestId('registered-address').filter({ hasText: address }).waitFor();
  return address;
}

/** Registers the keystore's address as the organisation's signing address; returns it. */
export const registerSigningAddressWithKeystore = (
  page: Page,
  baseUrl: string,
  keystoreJson: string,
  password: string,
): Promise<string> => registerWith(page, baseUrl, () => openKeystore(page, keystoreJson, password));

/** Registers the injected wallet's address (see installInjectedWallet) as the signing address; returns it. */
export const registerSigningAddressWithInjectedWallet = (page: Page, baseUrl: string): Promise<string> =>
  registerWith(page, baseUrl, () => connectWallet(page));

async function signWith(page: Page, baseUrl: string, contractId: string, open: () => Promise<void>) {
  await openUnlessShown(page, `${baseUrl}/contracts/${contractId}/sign`);
  await page.getByRole('heading', { level: 2, name: /签署内容|What you sign/ }).waitFor();
  await open();
  await page.getByRole('button', { name: /签署并提交|Sign and send/ }).click();
  // Sent: the page goes back to the contract.
  await page.waitForURL(`${baseUrl}/contracts/${contractId}`);
  await page.getByRole('heading', { level: 2, name: /签署情况|Signatures/ }).waitFor();
}

/** Signs the contract in the browser with a keystore opened in memory (file input and password). */
export const signContractWithKeystore = (
  page: Page,
  baseUrl: string,
  contractId: string,
  keystoreJson: string,
  password: string,
): Promise<void> => signWith(page, baseUrl, contractId, () => openKeystore(page, keystoreJson, password));

/** Signs the contract in the browser with the injected EIP-1193 wallet (eth_signTypedData_v4). */
export const signContractWithInjectedWallet = (
  page: Page,
  baseUrl: string,
  contractId: string,
): Promise<void> => signWith(page, baseUrl, contractId, () => connectWallet(page));

/** The buyer pays the signed contract into escrow from the contract's page; waits until it shows active. */
export async function fundContract(page: Page, baseUrl: string, contractId: string): Promise<void> {
  await page.goto(`${baseUrl}/contracts/${contractId}`);
  const pay = page.getByRole('button', { name: /^(确认付款|Pay)$/ });
  await pay.waitFor();
  await page.getByTestId('fund-available').filter({ hasText: '¥' }).waitFor();
  await pay.focus();
  await page.keyboard.press('Enter');
  await page.locator(OK_MESSAGE).first().waitFor();
  await page
    .getByText(/^(履行中|Active)$/)
    .first()
    .waitFor();
}

/** Operator: records a deposit of `yuan` (typed as a person types it) for an organisation on the balances page. */
export async function recordDeposit(
  page: Page,
  baseUrl: string,
  organisationId: string,
  yuan: string,
): Promise<void> {
  await page.goto(`${baseUrl}/settlement`);
  const form = page.locator('form#deposit');
  await form.getByLabel(/机构编号|Organisation ID/).fill(organisationId);
  await form.getByLabel(/金额（元）|Amount \(yuan\)/).fill(yuan);
  await form.getByRole('button', { name: /登记入金|Record the deposit/ }).click();
  await page.locator(OK_MESSAGE).first().waitFor();
}

/**
 * A party raises a dispute from the contract's page: its statement, and the SHA-256 of an evidence file hashed in
 * the page (the file itself is not sent). Waits for the dispute's row.
 */
export async function raiseDispute(
  page: Page,
  baseUrl: string,
  contractId: string,
  statement: string,
  evidence?: { name: string; buffer: Buffer },
): Promise<void> {
  await page.goto(`${baseUrl}/contracts/${contractId}`);
  const statementField = page.getByLabel(/^(争议说明|What you dispute)$/);
  await statementField.fill(statement);
  if (evidence) {
    await page
      .getByLabel(/选择证据文件计算哈希|Hash an evidence file/)
      .setInputFiles({ name: evidence.name, mimeType: 'application/octet-stream', buffer: evidence.buffer });
    await page
      .getByLabel(/^(证据哈希|Evidence hashes)/)
      .filter({ hasText: /0x[0-9a-f]{64}/ })
      .waitFor();
  }
  await page.getByRole('button', { name: /提交争议|Raise the dispute/ }).click();
  await page.getByRole('cell', { name: statement }).waitFor();
}
