import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Wallet, encryptKeystoreJson, verifyTypedData } from 'ethers';
import { totpAt } from '@app/identity';
import { mainPageChecks, signIn, useConsoleWorld } from '../support/browser.js';
import { someListing } from '../support/money-fixtures.js';
import { computeTerms, insertContract, termsBody } from '../support/trade-fixtures.js';
import { typedDataToSign } from '../../apps/console/src/pages/contracts/typed-data-check.js';
import type { Party } from '../support/world.js';
import type { HttpClient } from '../support/http-client.js';
import {
  fundContract,
  installInjectedWallet,
  raiseDispute,
  recordDeposit,
  registerSigningAddressWithInjectedWallet,
  registerSigningAddressWithKeystore,
  signContractWithInjectedWallet,
  signContractWithKeystore,
} from './pages/contracts.js';
import { choose } from './pages/buyer.js';

/**
 * A contract from an accepted negotiation (made through the API) to money in escrow, in Chromium: the merchant
 * registers its signing address and signs with a keystore file opened in the page (Chinese); the buyer does both
 * with an injected EIP-1193 wallet (English); the operator records the buyer's deposit; the buyer pays.
 */
jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();
let operator: HttpClient;
let merchant: Party;
let buyer: Party;
let listingId: string;

const KEYSTORE_PASSWORD = 'keystore pass 签约';
const AMOUNT_FEN = 450_000n; // computeTerms: 3 computations at ¥1,500.00
const DEPOSIT_FEN = 500_000n;

beforeAll(async () => {
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  listingId = await someListing(merchant.client, merchant.organisationId, operator);
}, 120_000);

it('signs a contract in the browser with a keystore and with a wallet, then funds it from a deposit', async () => {
  const { problems, check } = mainPageChecks();
  // The accepted negotiation, through the API: the buyer applies, the merchant accepts its version.
  const applied = await buyer.client.post('/v1/negotiations', {
    listingId,
    terms: termsBody(computeTerms()),
  });
  expect(applied.status).toBe(201);
  const accepted = await merchant.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 });
  expect([accepted.status, accepted.body.state]).toEqual([200, 'agreed']);
  const contractId = accepted.body.contractId as string;
  const contract = async () => (await buyer.client.get(`/v1/contracts/${contractId}`)).body;
  expect((await contract()).amountFen).toBe(AMOUNT_FEN.toString());

  // The merchant, in Chinese, with a keystore file (a low scrypt cost: the test's, not a person's).
  const merchantKey = Wallet.createRandom();
  const keystore = await encryptKeystoreJson(
    { address: merchantKey.address, privateKey: merchantKey.privateKey },
    KEYSTORE_PASSWORD,
    { scrypt: { N: 1 << 10 } },
  );
  const merchantContext = await browser.context('zh');
  const mPage = await merchantContext.newPage();
  await signIn(mPage, t.baseUrl, merchant.username);
  await mPage.goto(`${t.baseUrl}/signing-address`);
  await mPage.getByText('尚未登记').waitFor();
  await check(mPage, 'contracts-signing-address-zh');
  expect(await registerSigningAddressWithKeystore(mPage, t.baseUrl, keystore, KEYSTORE_PASSWORD)).toBe(
    merchantKey.address,
  );
  expect((await merchant.client.get('/v1/signing-address')).body.address).toBe(merchantKey.address);

  // The list, then the contract opened from it by keyboard.
  await mPage.goto(`${t.baseUrl}/contracts`);
  const row = mPage.getByRole('link', { name: contractId.slice(0, 8), exact: true });
  await row.waitFor();
  // The merchant sees who it trades with by the buyer's registered name, in the list and on the contract.
  const buyerName = (await contract()).buyerOrganisationName as string;
  expect(buyerName).toBeTruthy();
  await mPage
    .getByRole('row', { name: new RegExp(contractId.slice(0, 8)) })
    .getByText(buyerName)
    .waitFor();
  await check(mPage, 'contracts-list-zh');
  await row.focus();
  await mPage.keyboard.press('Enter');
  await mPage.waitForURL(`${t.baseUrl}/contracts/${contractId}`);
  await mPage.getByText('本合同等待我方签署。').waitFor();
  await mPage.locator('main').getByText(buyerName, { exact: true }).waitFor();
  // The listing by its title and the negotiation it came from, each a link.
  const listingTitle = (await merchant.client.get(`/v1/listings/${listingId}`)).body.title as string;
  await mPage.locator('main').getByRole('link', { name: listingTitle }).waitFor();
  await mPage
    .locator('main')
    .getByRole('link', { name: new RegExp(`^${(applied.body.id as string).slice(0, 8)}`) })
    .waitFor();
  await check(mPage, 'contracts-detail-zh');

  await mPage.goto(`${t.baseUrl}/contracts/${contractId}/sign`);
  await mPage.getByText('¥4,500.00').waitFor();
  await check(mPage, 'contracts-sign-zh');
  await signContractWithKeystore(mPage, t.baseUrl, contractId, keystore, KEYSTORE_PASSWORD);
  const afterMerchant = await contract();
  expect(afterMerchant.state).toBe('awaiting_signatures');
  expect(afterMerchant.signatures.merchant.signer).toBe(merchantKey.address);

  // The buyer, in English, with an injected wallet whose key stays in the test.
  const buyerKey = Wallet.createRandom();
  const buyerContext = await browser.context('en');
  await installInjectedWallet(buyerContext, buyerKey);
  const bPage = await buyerContext.newPage();
  await signIn(bPage, t.baseUrl, buyer.username);
  await bPage.goto(`${t.baseUrl}/signing-address`);
  await bPage.getByText('None registered').waitFor();
  await check(bPage, 'contracts-signing-address-en');
  expect(await registerSigningAddressWithInjectedWallet(bPage, t.baseUrl)).toBe(buyerKey.address);
  await bPage.goto(`${t.baseUrl}/contracts/${contractId}/sign`);
  await bPage.getByText('¥4,500.00').waitFor();
  await check(bPage, 'contracts-sign-en');
  await signContractWithInjectedWallet(bPage, t.baseUrl, contractId);

  // Both signed, and the exchange countersigned: the API says signed, and each signature checks.
  const signed = await contract();
  expect(signed.state).toBe('signed');
  const { domain, types, message } = signed.typedData;
  expect(verifyTypedData(domain, types, message, signed.signatures.buyer.signature)).toBe(buyerKey.address);
  expect(verifyTypedData(domain, types, message, signed.signatures.merchant.signature)).toBe(
    merchantKey.address,
  );
  expect(signed.signatures.platform).not.toBeNull();

  // Before any deposit the buyer's page refuses to pay: the balance cannot cover the amount.
  await bPage.goto(`${t.baseUrl}/contracts/${contractId}`);
  await bPage.getByText('Your available balance does not cover the amount').waitFor();
  expect(await bPage.getByRole('button', { name: /^Pay$/ }).isDisabled()).toBe(true);

  // The operator records the buyer's deposit on the balances page, typed in yuan.
  const overseer = await world.overseer('operator');
  t.clock.advance(30_000); // a fresh TOTP step: a code is used once
  const operatorContext = await browser.context('zh');
  const oPage = await operatorContext.newPage();
  await signIn(oPage, t.baseUrl, overseer.username, { totp: totpAt(overseer.totpSecret, t.clock.now()) });
  await recordDeposit(oPage, t.baseUrl, buyer.organisationId, '5000');
  await oPage.getByText(buyer.organisationId).first().waitFor();
  await check(oPage, 'contracts-balances-operator-zh');

  // The buyer pays: the detail page shows the amount and the balance, then the contract active.
  await bPage.reload();
  await bPage.getByTestId('fund-available').filter({ hasText: '¥5,000.00' }).waitFor();
  await check(bPage, 'contracts-detail-en');
  await fundContract(bPage, t.baseUrl, contractId);
  const funded = await contract();
  expect([funded.state, funded.escrow]).toEqual(['active', 'held']);
  const accounts = (await buyer.client.get('/v1/settlement/balances')).body.accounts as {
    purpose: string;
    availableFen: string;
  }[];
  const available = accounts.find((a) => a.purpose === 'available');
  expect(available?.availableFen).toBe((DEPOSIT_FEN - AMOUNT_FEN).toString());

  await bPage.goto(`${t.baseUrl}/settlement`);
  await bPage.getByText('¥500.00').first().waitFor();
  await check(bPage, 'contracts-balances-en');
  await bPage.goto(`${t.baseUrl}/contracts`);
  await bPage.getByRole('link', { name: contractId.slice(0, 8), exact: true }).waitFor();
  await check(bPage, 'contracts-list-en');

  // Something is wrong with the delivery: the buyer disputes, with the hash of its evidence made in the page.
  const evidence = Buffer.from('intersection,hour,vehicle_count\n');
  await raiseDispute(bPage, t.baseUrl, contractId, 'The March records are missing.', {
    name: 'evidence.csv',
    buffer: evidence,
  });
  const disputes = (await buyer.client.get(`/v1/disputes?contractId=${contractId}`)).body.items;
  expect(disputes).toHaveLength(1);
  expect(disputes[0]).toMatchObject({
    state: 'open',
    openedBySide: 'buyer',
    statement: 'The March records are missing.',
    evidenceHashes: [`0x${createHash('sha256').update(evidence).digest('hex')}`],
  });
  expect((await contract()).state).toBe('disputed');

  await mPage.goto(`${t.baseUrl}/settlement`);
  await mPage.getByRole('heading', { level: 1, name: '资金账户' }).waitFor();
  await check(mPage, 'contracts-balances-zh');

  expect(problems).toEqual([]);
  await Promise.all([merchantContext.close(), buyerContext.close(), operatorContext.close()]);
});

it('tells both parties on the contract page that it is suspended, and why', async () => {
  const { problems, check } = mainPageChecks();
  const { id } = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    state: 'active',
  });
  const reason = '买方涉嫌向第三方转售数据，暂停待查。';
  expect((await operator.post(`/v1/contracts/${id}/suspension`, { reason })).body.state).toBe('suspended');
  for (const [party, lang, heading] of [
    [buyer, 'en', 'The operator or a regulator suspended this contract'],
    [merchant, 'zh', '本合同已被运营方或监管方暂停'],
  ] as const) {
    const context = await browser.context(lang);
    const page = await context.newPage();
    await signIn(page, t.baseUrl, party.username);
    await page.goto(`${t.baseUrl}/contracts/${id}`);
    const alert = page.getByTestId('contract-suspended');
    await alert.getByText(reason).waitFor();
    expect(await alert.innerText()).toContain(heading);
    await check(page, `contracts-suspended-${lang}`);
    await context.close();
  }
  // Reinstated, the notice is gone.
  expect((await operator.post(`/v1/contracts/${id}/reinstatement`, { reason: '已核实' })).status).toBe(200);
  const context = await browser.context('zh');
  const page = await context.newPage();
  await signIn(page, t.baseUrl, buyer.username);
  await page.goto(`${t.baseUrl}/contracts/${id}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('main .ant-descriptions').first().waitFor();
  expect(await page.getByTestId('contract-suspended').count()).toBe(0);
  await context.close();
  expect(problems).toEqual([]);
});

it('tells the buyer of an incident on its contract’s data, with the measures; it confirms reading in the page', async () => {
  const { problems, check } = mainPageChecks();
  const { id: contractId } = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    state: 'active',
  });
  const assetIds = (await merchant.client.get(`/v1/listings/${listingId}`)).body.assetIds as string[];
  const assetTitle = (await merchant.client.get(`/v1/assets/${assetIds[0]}`)).body.title as string;
  const measures = '请轮换访问令牌，并核查近三天的下载记录。';

  // The merchant reports it in the page; the level is graded as the form is filled (DS 12 表2/表3).
  const merchantContext = await browser.context('zh');
  const mPage = await merchantContext.newPage();
  await signIn(mPage, t.baseUrl, merchant.username);
  await mPage.getByRole('navigation').getByRole('link', { name: '报告安全事件' }).click();
  await mPage.getByRole('heading', { level: 1, name: '报告安全事件' }).waitFor();
  await mPage.getByLabel('事件名称').fill('计算结果接口异常访问');
  await mPage.getByLabel('事件经过').fill('一个过期令牌在夜间多次调用结果接口。');
  await mPage.getByLabel('发生时间').fill('2026-01-02 03:04:05');
  await mPage.getByLabel('发生时间').press('Enter');
  await choose(mPage, 'incident_affectedAssetIds', assetTitle);
  await mPage.keyboard.press('Escape');
  const loss = mPage.locator('#incident_businessLoss');
  const harm = mPage.locator('#incident_socialHarm');
  await loss.getByRole('radio', { name: '较大' }).check();
  await harm.getByRole('radio', { name: '特别严重' }).check();
  // General data with especially serious social harm is a '/' of 表3: refused before it is sent.
  await mPage
    .getByTestId('incident-grading')
    .getByText(/第十二条表3中没有这一组合/)
    .waitFor();
  expect(await mPage.getByRole('button', { name: '报告事件' }).isDisabled()).toBe(true);
  await harm.getByRole('radio', { name: '较小' }).check();
  await mPage
    .getByTestId('incident-grading')
    .getByText('定级：较大（三级）（按一般数据，取表2与表3中较重者）')
    .waitFor();
  await mPage.getByLabel('已采取和建议相关方采取的措施').fill(measures);
  await check(mPage, 'incident-report-zh');
  await mPage.getByRole('button', { name: '报告事件' }).click();
  await mPage.getByTestId('incident-reported').getByText('已依DS 15立即报送监管部门。').waitFor();
  await mPage.getByRole('row', { name: /计算结果接口异常访问/ }).waitFor();
  const reported = (await merchant.client.get('/v1/incidents?limit=5')).body.items[0];
  expect(reported).toMatchObject({
    title: '计算结果接口异常访问',
    level: 3,
    affectedAssetIds: [assetIds[0]],
    businessLoss: 'larger',
    socialHarm: 'smaller',
    occurredAt: '2026-01-02T03:04:05.000Z', // typed in the browser's Europe/London, which is UTC in January
  });
  const incidentId = reported.id as string;
  await merchantContext.close();

  const context = await browser.context('zh');
  const page = await context.newPage();
  await signIn(page, t.baseUrl, buyer.username);
  await page.getByRole('navigation').getByRole('link', { name: '安全事件通知' }).click();
  await page.getByRole('heading', { level: 1, name: '安全事件通知' }).waitFor();
  const row = page.getByRole('row', { name: /计算结果接口异常访问/ });
  await row.getByText(measures).waitFor();
  await row.getByRole('link', { name: contractId.slice(0, 8) }).waitFor();
  await check(page, 'incident-notices-zh');
  await row.getByRole('button', { name: '确认已阅' }).click();
  await row.getByTestId('notice-read').waitFor();
  const notice = (await buyer.client.get('/v1/incidents/notices')).body.items.find(
    (n: { incidentId: string }) => n.incidentId === incidentId,
  );
  expect(notice.readAt).toBe(t.clock.now().toISOString());
  await context.close();
  expect(problems).toEqual([]);
});

it('signs in the page only typed data built from the contract’s own terms, as the server builds it', async () => {
  // The page's check (the same core the server uses), over a contract as the API serves it.
  const { id } = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
  });
  const served = (await buyer.client.get(`/v1/contracts/${id}`)).body;
  const built = typedDataToSign(served);
  expect(built.problems).toEqual([]);
  expect(built.typedData).toEqual(served.typedData);
  // A server that asked for another price, or whose terms do not hash to the stated hash, is refused.
  const otherPrice = structuredClone(served);
  otherPrice.typedData.message.amountFen = '1';
  expect(typedDataToSign(otherPrice).problems).toEqual(['typedData']);
  const otherTerms = structuredClone(served);
  otherTerms.terms.purpose = '另一个目的';
  expect(typedDataToSign(otherTerms).problems).toEqual([expect.stringMatching(/^termsHash /), 'typedData']);
});
