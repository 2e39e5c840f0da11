import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { RegistrationService, totpAt } from '@app/identity';
import { assetBody, registerAsset } from '../support/asset-fixtures.js';
import { buttonName, mainPageChecks, openPage, signIn, useConsoleWorld } from '../support/browser.js';
import type { HttpClient } from '../support/http-client.js';
import { assetVariants, listingBody } from '../support/listing-fixtures.js';
import { deposit, fund, someListing } from '../support/money-fixtures.js';
import { insertContract } from '../support/trade-fixtures.js';
import { PASSWORD, newCreditCode, uniqueName, type Party } from '../support/world.js';
import { createApiToken } from './pages/account.js';
import { confirmDialog, rowAction, signInOverseer, signOut } from './pages/operator.js';

jest.setTimeout(180_000);

// The English pages are checked in operator-pages.e2e-spec.ts, which runs beside this file.

const { t, world, browser } = useConsoleWorld();
/** The operator that builds the world through the API (the one in the browser is another). */
let setup: HttpClient;

beforeAll(async () => {
  setup = (await world.overseer('operator')).client;
});

/** An operator body as the CLI creates one: admitted, with a password, TOTP not yet enrolled. */
async function operatorWithoutTotp(): Promise<{ username: string; organisationId: string }> {
  const username = uniqueName('ops');
  const { organisation } = await t.app.get(RegistrationService).registerAdmitted(
    {
      kind: 'organisation',
      name: `运营方 ${username}`,
      identifier: newCreditCode(),
      roles: ['operator'],
      admin: { username, password: PASSWORD, displayName: username },
    },
    null,
  );
  return { username, organisationId: organisation.id };
}

/** The next TOTP step: a code is good once, so each sign-in of the journey moves the API's clock on. */
const nextStep = () => t.clock.advance(30_000);

/** An open dispute over a funded contract (the contract written straight to the database, as the money tests do). */
async function openDispute(
  merchant: Party,
): Promise<{ disputeId: string; contractId: string; listingId: string }> {
  const buyer = await world.party(['buyer'], setup);
  expect((await deposit(setup, buyer.organisationId, '1000000')).status).toBe(201);
  const listingId = await someListing(merchant.client, merchant.organisationId, setup);
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    state: 'signed',
  });
  expect((await fund(buyer.client, contract.id, randomUUID())).status).toBe(200);
  const opened = await buyer.client.post(`/v1/contracts/${contract.id}/disputes`, {
    statement: '交付结果缺少三月份数据',
    evidenceHashes: [`0x${'ab'.repeat(32)}`],
  });
  expect(opened.status).toBe(201);
  return { disputeId: opened.body.id, contractId: contract.id, listingId };
}

describe('the operator console', () => {
  it('enrols TOTP by QR, signs in with it, works the review queues, decides a dispute and creates an API token', async () => {
    const { problems, check } = mainPageChecks();
    // The world: a party waiting for admission, an important asset and a listing awaiting review, an open dispute.
    const pending = await world.party(['buyer']);
    const merchant = await world.party(['merchant'], setup);
    const assetTitle = `电网负荷 ${uniqueName('a')}`;
    const submittedAsset = await merchant.client.post(
      '/v1/assets',
      assetBody(merchant.organisationId, { ...assetVariants.important, title: assetTitle }),
    );
    expect(submittedAsset.body.level).toBe('important');
    expect((await merchant.client.post(`/v1/assets/${submittedAsset.body.id}/submit`)).status).toBe(200);
    const registered = await registerAsset(merchant.client, setup, assetBody(merchant.organisationId));
    const listingTitle = `路口车流量 ${uniqueName('l')}`;
    const listing = await merchant.client.post(
      '/v1/listings',
      listingBody([registered.id], { title: listingTitle }),
    );
    expect((await merchant.client.post(`/v1/listings/${listing.body.id}/submit`)).status).toBe(200);
    const dispute = await openDispute(merchant);
    const me = await operatorWithoutTotp();

    const context = await browser.context('zh');
    const page = await context.newPage();

    // Signs in without a code (none enrolled yet): the session owes its second factor and is led to enrol.
    await signIn(page, t.baseUrl, me.username);
    await page.goto(`${t.baseUrl}/account/totp`);
    await page.getByRole('alert').filter({ hasText: '尚未完成双因素认证' }).waitFor();
    await page.getByRole('button', { name: '开始绑定' }).click();
    await page.getByRole('img', { name: '动态验证码绑定二维码' }).waitFor();
    await check(page, 'account-totp-enrol-zh');
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('身份验证器上显示的 6 位验证码').fill(totpAt(secret, t.clock.now()));
    await page.keyboard.press('Enter');
    await page.getByText(/^本账户已启用动态验证码/).waitFor();
    // Signs out and in again, now with a code of the next step.
    await signOut(page);
    nextStep();
    await signInOverseer(page, t.baseUrl, me.username, PASSWORD, secret, t.clock.now());
    nextStep();
    const session = await world.login(me.username, totpAt(secret, t.clock.now()));
    expect((await session.get('/v1/auth/me')).body).toMatchObject({
      roles: ['operator'],
      secondFactorDone: true,
    });

    // Admission: the pending party is in the queue; admitted from it.
    await openPage(page, t.baseUrl, '/operator/admissions');
    await page.getByRole('cell', { name: `Party ${pending.username}`, exact: true }).waitFor();
    await check(page, 'operator-admissions-zh');
    await rowAction(page, '准入', `Party ${pending.username}`);
    await confirmDialog(page, '准入');
    await page
      .getByRole('cell', { name: `Party ${pending.username}`, exact: true })
      .waitFor({ state: 'detached' });
    expect((await session.get(`/v1/organisations/${pending.organisationId}`)).body.status).toBe('admitted');

    // The important asset: security review (DS 26) first, then approval.
    await openPage(page, t.baseUrl, '/operator/assets');
    await page.getByRole('cell', { name: assetTitle, exact: true }).waitFor();
    await check(page, 'operator-assets-zh');
    await rowAction(page, '审核', assetTitle);
    const drawer = page.getByRole('dialog');
    await drawer.getByText('尚未记录针对当前内容的安全评估').waitFor();
    await drawer.getByLabel('评估意见').fill('已核验脱敏、访问控制与境内存储，符合要求');
    await drawer.getByRole('button', { name: '记录评估结论' }).click();
    await drawer.getByText('安全评估已通过').waitFor();
    await check(page, 'operator-asset-review-zh');
    await drawer.getByLabel('批准登记').check();
    await drawer.getByLabel('理由').fill('材料齐全，定级准确');
    await drawer.getByRole('button', { name: '提交结论' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: assetTitle, exact: true }).waitFor({ state: 'detached' });
    const asset = await session.get(`/v1/assets/${submittedAsset.body.id}`);
    expect(asset.body).toMatchObject({ status: 'registered', level: 'important' });
    expect(asset.body.registrationNumber).toBeTruthy();

    // The listing.
    await openPage(page, t.baseUrl, '/operator/listings');
    await page.getByRole('cell', { name: listingTitle, exact: true }).waitFor();
    await check(page, 'operator-listings-zh');
    await rowAction(page, '批准', listingTitle);
    await confirmDialog(page, '批准');
    await page.getByRole('cell', { name: listingTitle, exact: true }).waitFor({ state: 'detached' });
    expect((await session.get(`/v1/listings/${listing.body.id}`)).body.status).toBe('approved');

    // The dispute: refunded to the buyer.
    await openPage(page, t.baseUrl, '/operator/disputes');
    await page.getByRole('cell', { name: '交付结果缺少三月份数据', exact: true }).waitFor();
    await check(page, 'operator-disputes-zh');
    await page
      .getByRole('row', { name: /交付结果缺少三月份数据/ })
      .getByRole('button', { name: buttonName('裁决') })
      .click();
    const disputeDrawer = page.getByRole('dialog');
    await disputeDrawer.getByLabel('全额退还需方').check();
    await disputeDrawer.getByLabel('理由').fill('数据缺失属实，全额退还。');
    await disputeDrawer.getByRole('button', { name: '提交结论' }).click();
    await disputeDrawer.waitFor({ state: 'hidden' });
    await page
      .getByRole('cell', { name: '交付结果缺少三月份数据', exact: true })
      .waitFor({ state: 'detached' });
    expect((await session.get(`/v1/disputes/${dispute.disputeId}`)).body).toMatchObject({
      state: 'decided',
      outcome: 'refund',
    });
    expect((await session.get(`/v1/contracts/${dispute.contractId}`)).body).toMatchObject({
      escrow: 'refunded',
    });

    for (const name of ['operator-purposes', 'operator-suspensions']) {
      await openPage(page, t.baseUrl, `/${name.replace('-', '/')}`);
      await check(page, `${name}-zh`);
    }
    // A published listing suspended from the suspensions page, with a reason.
    await page.getByRole('tab', { name: '产品' }).click();
    const published = (await session.get(`/v1/listings/${dispute.listingId}`)).body.title as string;
    await rowAction(page, '暂停', published);
    await confirmDialog(page, '暂停', '数据来源存在争议，暂停交易待核查');
    expect((await session.get(`/v1/listings/${dispute.listingId}`)).body).toMatchObject({
      status: 'suspended',
      statusReason: '数据来源存在争议，暂停交易待核查',
    });

    // An API token, shown once; the API accepts it.
    await openPage(page, t.baseUrl, '/account/tokens');
    await check(page, 'account-tokens-zh');
    const token = await createApiToken(page, t.baseUrl, 'nightly-export', '运营方 · 读写', 7);
    expect(token).toMatch(/^dxt_/);
    await page.getByRole('cell', { name: 'nightly-export', exact: true }).waitFor();
    expect((await world.anonymous.as(token).get('/v1/auth/me')).body).toMatchObject({
      via: 'token',
      roles: ['operator'],
    });
    expect(await page.locator('body').innerText()).not.toContain(token);
    // Revoked from its row: the API refuses it from then on.
    await rowAction(page, '吊销', 'nightly-export');
    await confirmDialog(page, '吊销');
    await page.getByText('已吊销', { exact: true }).waitFor();
    expect((await world.anonymous.as(token).get('/v1/auth/me')).status).toBe(401);
    await openPage(page, t.baseUrl, '/account/totp');
    await check(page, 'account-totp-zh');
    await context.close();

    expect(problems).toEqual([]);
  });
});
