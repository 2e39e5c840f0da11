import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import type { Page } from 'playwright-core';
import { totpAt } from '@app/identity';
import { Contract } from '@app/trading';
import { assetBody, registerAsset } from '../support/asset-fixtures.js';
import { mainPageChecks, signIn, useConsoleWorld } from '../support/browser.js';
import type { HttpClient } from '../support/http-client.js';
import { assetVariants, listingBody, publishedListing } from '../support/listing-fixtures.js';
import { computeTerms, insertContract } from '../support/trade-fixtures.js';
import type { Party } from '../support/world.js';
import {
  decideDestruction,
  exportFigureCsv,
  openRegulatorPage,
  supervisionLoaded,
  verifyLedgerEntry,
} from './pages/regulator.js';

/**
 * The regulator's journey in Chromium against the real API: sign in with TOTP, read the supervision figures (made
 * through the API: two funded trades, an incident), export a figure as CSV, approve a destruction of important data,
 * and verify a ledger entry in the browser — then see the same check fail when the inclusion proof is tampered with.
 * Every main page passes axe and the untranslated-key check in Chinese and English.
 */
jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();
let operator: HttpClient;
let regulator: Party & { totpSecret: string };
let merchant: Party;
let buyer: Party;
let importantAsset: string;
let incidentId: string;
let complaintId: string;
const DESTRUCTION_REASON = '合同目的已实现，申请销毁平台所存重要数据。';
const INCIDENT_TITLE = '订单库访问日志异常导出';

async function fundedTrade(listingId: string, priceFen: bigint): Promise<void> {
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms: computeTerms({ billingUnit: 'one-off', priceFen, computations: null }),
    state: 'signed',
  });
  await t.app
    .get(MikroORM)
    .em.fork()
    .nativeUpdate(
      Contract,
      { id: contract.id },
      { fundedAt: t.clock.now(), state: 'active', escrow: 'held' },
    );
}

beforeAll(async () => {
  operator = await world.operatorProgramme();
  regulator = await world.overseer('regulator');
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);

  const general = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
  const listingId = await publishedListing(merchant.client, operator, listingBody([general.id]));
  await fundedTrade(listingId, 120_000n);
  await fundedTrade(listingId, 35_050n);

  importantAsset = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, { ...assetVariants.important, title: '电网负荷（重要数据）' }),
    )
  ).id;
  const asked = await merchant.client.post('/v1/destructions', {
    assetId: importantAsset,
    reason: DESTRUCTION_REASON,
  });
  expect([asked.status, asked.body.state]).toEqual([201, 'requested']);

  const incident = await merchant.client.post('/v1/incidents', {
    title: INCIDENT_TITLE,
    description: '一个运维账号在夜间导出了 3 万行订单记录。',
    occurredAt: new Date(t.clock.now().getTime() - 3_600_000).toISOString(),
    businessLoss: 'larger',
    socialHarm: 'smaller',
    affectedAssetIds: [general.id],
    measures: '请轮换相关访问令牌，并核查近期的下载记录。',
  });
  expect([incident.status, incident.body.message]).toEqual([201, undefined]);
  incidentId = incident.body.id;
  const complaint = await world.anonymous.post('/v1/complaints', {
    category: 'misleading-listing',
    statement: '挂牌描述称数据覆盖全市，实际只有两个区。',
  });
  expect([complaint.status, complaint.body.message]).toEqual([201, undefined]);
  complaintId = complaint.body.id;
});

/** A TOTP code of a step after the one used at enrolment (a code is accepted once). */
function nextCode(): string {
  t.clock.advance(31_000);
  return totpAt(regulator.totpSecret, t.clock.now());
}

async function signedIn(language: 'zh' | 'en'): Promise<Page> {
  const context = await browser.context(language);
  const page = await context.newPage();
  await signIn(page, t.baseUrl, regulator.username, { totp: nextCode() });
  return page;
}

describe('the regulator console', () => {
  it('supervises, exports, approves a destruction and verifies the ledger in the browser (zh)', async () => {
    const page = await signedIn('zh');
    const { problems, check } = mainPageChecks();

    // Supervision: the two trades and the incident, charted and tabled.
    await openRegulatorPage(page, /^监管统计$/, /^监管统计$/);
    await supervisionLoaded(page);
    const trades = page.locator('#figure-trades');
    await trades.getByText('合计 2 笔，成交额').waitFor();
    expect(await trades.innerText()).toContain('¥1,550.50');
    expect(await trades.locator('div[role="img"]').getAttribute('aria-label')).toMatch(
      /^成交统计：\d{4}-\d{2} 2$/,
    );
    expect(await page.locator('#figure-incidents').innerText()).toContain('已报告');
    await check(page, 'regulator-supervision-zh');

    // CSV: what the browser saved is the API's CSV of the trades figure.
    const csv = await exportFigureCsv(page, 'trades');
    expect(csv.filename).toBe('supervision-trades.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,industry,level,trades,volumeFen');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-\d{2},[^,]+,general,2,155050$/);

    // Incidents, risk reports, complaints: the lists the regulator works from.
    await openRegulatorPage(page, /^安全事件$/, /^数据安全事件$/);
    await page.getByRole('link', { name: INCIDENT_TITLE }).waitFor();
    await check(page, 'regulator-incidents-zh');
    await page.getByRole('link', { name: INCIDENT_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: `安全事件：${INCIDENT_TITLE}` }).waitFor();
    // The reporter is named as registered, not only by id.
    const reporter = (await regulator.client.get(`/v1/organisations/${merchant.organisationId}`)).body.name;
    await page
      .locator('main')
      .getByText(reporter as string, { exact: true })
      .waitFor();
    // Who was told (DS 16), as the API lists them: each by name, or the page says nobody was.
    await page.getByRole('heading', { level: 2, name: '已告知的相关方（第十六条）' }).waitFor();
    const told = (await regulator.client.get(`/v1/incidents/${incidentId}/notices`)).body.items as {
      organisationName: string;
    }[];
    if (told.length === 0) await page.getByText('没有需要告知的相关方').waitFor();
    for (const party of told)
      await page
        .getByRole('row', { name: new RegExp(party.organisationName) })
        .getByText('尚未确认')
        .waitFor();
    await check(page, 'regulator-incident-zh');
    await page.getByRole('button', { name: '受理事件' }).click();
    await page.getByText('已受理', { exact: true }).first().waitFor();
    expect((await regulator.client.get(`/v1/incidents/${incidentId}`)).body.state).toBe('acknowledged');

    await openRegulatorPage(page, /^风险评估报告$/, /^年度风险评估报告$/);
    await page.locator('.ant-table-tbody').first().waitFor();
    await check(page, 'regulator-risk-reports-zh');

    await openRegulatorPage(page, /^投诉举报$/, /^投诉举报$/);
    await page.getByRole('link', { name: '挂牌信息不实' }).waitFor();
    await check(page, 'regulator-complaints-zh');
    // Triage by keyboard on the complaint's page; the API agrees.
    await page.getByRole('link', { name: '挂牌信息不实' }).click();
    await page.getByRole('heading', { level: 1, name: '投诉举报：挂牌信息不实' }).waitFor();
    await page.getByLabel('受理或调查说明（选填，投诉人可凭回执查看）').fill('已受理，正在核查挂牌信息。');
    await page.getByRole('button', { name: /^受\s*理$/ }).focus();
    await page.keyboard.press('Enter');
    // While the request runs the button's name carries Ant Design's "loading" icon, so its name no longer matching
    // proves nothing: wait for what the answer renders, the new state and the note.
    await page.locator('main').getByText('已受理', { exact: true }).waitFor();
    await page
      .locator('.ant-descriptions')
      .getByText('已受理，正在核查挂牌信息。', { exact: true })
      .waitFor();
    await page.getByRole('button', { name: /^受\s*理$/ }).waitFor({ state: 'detached' });
    expect((await regulator.client.get(`/v1/complaints/${complaintId}`)).body).toMatchObject({
      state: 'triaged',
      publicNote: '已受理，正在核查挂牌信息。',
    });

    // Destruction: approve the important asset's request; the API agrees.
    await openRegulatorPage(page, /^数据销毁审批$/, /^数据销毁审批$/);
    await page.getByRole('row').filter({ hasText: DESTRUCTION_REASON }).waitFor();
    await check(page, 'regulator-destructions-zh');
    await decideDestruction(page, DESTRUCTION_REASON, 'approve', '已核实合同目的已实现，同意销毁。');
    await page.getByRole('row').filter({ hasText: DESTRUCTION_REASON }).waitFor({ state: 'detached' });
    const decided = (await regulator.client.get('/v1/destructions?limit=5')).body.items as {
      assetId: string;
      state: string;
      decisionReason: string;
    }[];
    expect(decided.find((d) => d.assetId === importantAsset)).toMatchObject({
      state: expect.stringMatching(/^(approved|executed)$/),
      decisionReason: '已核实合同目的已实现，同意销毁。',
    });

    // Ledger: the destruction's entry, verified in the browser.
    const found = await regulator.client.get(`/v1/ledger/search?subject=${importantAsset}&limit=100`);
    const entry = (found.body.entries as { leafIndex: number; action: string }[]).at(-1)!;
    expect(entry).toBeDefined();
    await openRegulatorPage(page, /^存证账本核验$/, /^存证账本核验$/);
    const good = await verifyLedgerEntry(page, entry.leafIndex);
    expect(good).toMatchObject({ leaf: true, root: true, signature: true });
    expect(good.summary).toContain('核验通过');
    await check(page, 'regulator-ledger-zh');

    // The same entry with one byte of the inclusion proof flipped on its way to the browser: the root check fails.
    await page.route('**/v1/ledger/proof/inclusion?*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { inclusionPath: string[] };
      expect(body.inclusionPath.length).toBeGreaterThan(0);
      const first = Buffer.from(body.inclusionPath[0], 'base64');
      first[7] ^= 0x01;
      body.inclusionPath[0] = first.toString('base64');
      await route.fulfill({ response, json: body });
    });
    const tampered = await verifyLedgerEntry(page, entry.leafIndex);
    expect(tampered).toMatchObject({ leaf: true, root: false, signature: true });
    expect(tampered.summary).toContain('核验未通过');
    await page.getByTestId('ledger-check-root').getByText('未通过').waitFor();
    await check(page, 'regulator-ledger-tampered-zh');

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows every main page in English', async () => {
    const page = await signedIn('en');
    const { problems, check } = mainPageChecks();
    await openRegulatorPage(page, /^Supervision figures$/, /^Supervision figures$/);
    await supervisionLoaded(page);
    await check(page, 'regulator-supervision-en');
    await openRegulatorPage(page, /^Security incidents$/, /^Data security incidents$/);
    await page.getByRole('link', { name: INCIDENT_TITLE }).waitFor();
    await check(page, 'regulator-incidents-en');
    await openRegulatorPage(page, /^Risk assessment reports$/, /^Yearly risk assessment reports$/);
    await check(page, 'regulator-risk-reports-en');
    await openRegulatorPage(page, /^Destruction approvals$/, /^Destruction approvals$/);
    await page.getByRole('combobox', { name: 'State' }).waitFor();
    await check(page, 'regulator-destructions-en');
    await openRegulatorPage(page, /^Complaints$/, /^Complaints$/);
    await page.getByRole('link', { name: 'Misleading listing' }).waitFor();
    await check(page, 'regulator-complaints-en');
    await openRegulatorPage(page, /^Ledger explorer$/, /^Ledger explorer$/);
    const result = await verifyLedgerEntry(page, 0);
    expect(result).toMatchObject({ leaf: true, root: true, signature: true });
    await check(page, 'regulator-ledger-en');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
