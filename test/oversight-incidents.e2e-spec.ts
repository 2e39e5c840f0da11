import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { MikroORM } from '@mikro-orm/core';
import { HEAD_REUSE_MS } from '@app/ledger';
import { IncidentService } from '@app/oversight';
import { Contract } from '@app/trading';
import { OversightHeartbeat } from '../apps/api/src/oversight/oversight-heartbeat.js';
import { countRows, ledgerActions, ledgerOf } from './support/db-probe.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * Security incidents over HTTP, on SQLite and (with DATABASE_URL) PostgreSQL: the DS 12 level computed through the
 * API and a '/' of 表3 refused, the importance following from the affected assets, the regulators told at once
 * (DS 15, 16), the affected parties told with a notice and a ledger entry of their own (DS 16), the week's summary
 * flagged overdue once on the test clock and a late closure recorded, the role checks, parallel acknowledgements,
 * and the yearly report as JSON and CSV.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let buyer: Party;
let stranger: Party;
let generalAsset: string;
let importantAsset: string;
let coreAsset: string | null;
let openApi: OpenApiDocument;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  stranger = await world.party(['buyer', 'merchant'], operator);
  generalAsset = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
  importantAsset = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, assetVariants.important),
    )
  ).id;
  coreAsset = await registerAsset(
    merchant.client,
    operator,
    assetBody(merchant.organisationId, assetVariants.core),
  )
    .then((a) => a.id)
    .catch(() => null);
  openApi = (await world.anonymous.get('/openapi.json')).body;
});
afterAll(() => t.close());

/** Every 2xx answer has exactly its documented shape. */
function conforms(reply: Reply, method: string, template: string): Reply {
  if (reply.status >= 200 && reply.status < 300)
    expect(
      schemaProblems(openApi, responseSchema(openApi, method, template, reply.status), reply.body),
    ).toEqual([]);
  return reply;
}

const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: '订单库访问日志异常导出',
  description: '一个运维账号在夜间导出了 3 万行订单记录。',
  occurredAt: new Date(t.clock.now().getTime() - DAY).toISOString(),
  businessLoss: 'larger',
  socialHarm: 'smaller',
  measures: '请轮换相关访问令牌，并核查 3 月 2 日以后的下载记录。',
  ...overrides,
});

const report = async (client: HttpClient, overrides: Record<string, unknown> = {}) =>
  conforms(await client.post('/v1/incidents', body(overrides)), 'POST', '/v1/incidents');

async function reported(client: HttpClient, overrides: Record<string, unknown> = {}) {
  const reply = await report(client, overrides);
  expect([reply.status, reply.body.code]).toEqual([201, undefined]);
  return reply.body;
}

/** Moves the test clock and signs everyone in again (sessions expire on the clock the API reads). */
async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  for (const party of [merchant, buyer, stranger]) party.client = await world.login(party.username);
}

describe('grading (DS 12 表2/表3)', () => {
  it.each([
    ['general', 'smaller', 'smaller', 4, '表2 and 表3 agree'],
    ['general', 'especially-serious', 'smaller', 3, '表2 decides'],
    ['important', 'smaller', 'serious', 2, '表3 decides'],
    ['especially-important', 'especially-serious', 'especially-serious', 1, 'both'],
  ])('%s object, %s loss, %s harm is level %i (%s)', async (importance, businessLoss, socialHarm, level) => {
    const incident = await reported(merchant.client, { importance, businessLoss, socialHarm });
    expect(incident).toMatchObject({ level, importance, importanceSource: 'declared', state: 'reported' });
    expect(incident.levelJustification).toMatch(/DS 12/);
  });

  it('refuses a "/" combination of 表3 as impossible, naming the table, and records nothing', async () => {
    const before = await countRows(t, 'incidents');
    const reply = await report(merchant.client, {
      importance: 'general',
      businessLoss: 'larger',
      socialHarm: 'especially-serious',
    });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ code: 'impossible_incident_combination', article: 'DS 12' });
    expect(reply.body.message).toMatch(/表3/);
    expect(await countRows(t, 'incidents')).toBe(before);
  });

  it('asks for the affected assets or the importance (400)', async () => {
    const reply = await report(merchant.client);
    expect([reply.status, reply.body.code]).toEqual([400, 'importance_required']);
  });

  it('refuses an occurrence in the future and unknown fields (400)', async () => {
    const future = new Date(t.clock.now().getTime() + DAY).toISOString();
    expect((await report(merchant.client, { importance: 'general', occurredAt: future })).status).toBe(400);
    expect((await report(merchant.client, { importance: 'general', extra: 1 })).status).toBe(400);
  });
});

describe('importance from the affected assets (DS 29)', () => {
  it('takes the highest level of the affected assets', async () => {
    const incident = await reported(merchant.client, { affectedAssetIds: [generalAsset, importantAsset] });
    expect(incident).toMatchObject({ importance: 'important', importanceSource: 'assets', level: 3 });
  });

  it('makes core data an especially important object', async () => {
    if (coreAsset === null) throw new Error('the core asset fixture did not register');
    const incident = await reported(merchant.client, {
      affectedAssetIds: [coreAsset],
      businessLoss: 'smaller',
      socialHarm: 'larger',
    });
    expect(incident).toMatchObject({
      importance: 'especially-important',
      importanceSource: 'assets',
      level: 3,
    });
  });

  it('refuses a declared importance below the assets’, naming the asset (422)', async () => {
    const reply = await report(merchant.client, {
      affectedAssetIds: [importantAsset],
      importance: 'general',
    });
    expect([reply.status, reply.body.code]).toEqual([422, 'importance_below_assets']);
    expect(reply.body.message).toContain(importantAsset);
  });

  it('answers 404 for an asset that is not the reporter’s to name', async () => {
    const reply = await report(stranger.client, { affectedAssetIds: [generalAsset] });
    expect([reply.status, reply.body.code]).toEqual([404, 'asset_not_found']);
  });
});

describe('the regulators (DS 15, 16)', () => {
  it('flags level 3 or above for the regulators at once, and sees it in their list', async () => {
    const level3 = await reported(merchant.client, { importance: 'general', businessLoss: 'larger' });
    expect(level3).toMatchObject({ level: 3, regulatorNotified: true, regulatorArticles: ['DS 15'] });
    expect(level3.regulatorNotifiedAt).toBe(t.clock.now().toISOString());
    expect(level3.summaryDueAt).toBeNull();
    const level4 = await reported(merchant.client, { importance: 'general', businessLoss: 'smaller' });
    expect(level4).toMatchObject({ level: 4, regulatorNotified: false, regulatorArticles: [] });
    const seen = conforms(await regulator.get('/v1/incidents?limit=200'), 'GET', '/v1/incidents');
    const ids = seen.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([level3.id, level4.id]));
    const payload = (await ledgerOf(t, level3.id))[0];
    expect(payload).toMatchObject({
      action: 'incident.reported',
      payload: { level: 3, sentToRegulatorsBy: ['DS 15'] },
    });
  });

  it('sends important data to the regulators with a week for the summary (DS 16)', async () => {
    const incident = await reported(merchant.client, {
      importance: 'important',
      businessLoss: 'smaller',
      socialHarm: 'smaller',
    });
    expect(incident).toMatchObject({ level: 4, regulatorNotified: true, regulatorArticles: ['DS 16'] });
    expect(Date.parse(incident.summaryDueAt) - Date.parse(incident.reportedAt)).toBe(7 * DAY);
  });
});

describe('the affected parties (DS 16)', () => {
  it('tells the buyer with a contract on the asset’s listing, and not an unrelated party', async () => {
    const listingId = await publishedListing(merchant.client, operator, listingBody([generalAsset]));
    const contract = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'active',
    });
    const incident = await reported(merchant.client, { affectedAssetIds: [generalAsset] });

    const notices = conforms(await buyer.client.get('/v1/incidents/notices'), 'GET', '/v1/incidents/notices');
    expect(notices.body.items[0]).toMatchObject({
      incidentId: incident.id,
      level: incident.level,
      measures: body().measures,
      contractIds: [contract.id],
    });
    const seen = conforms(
      await buyer.client.get(`/v1/incidents/${incident.id}`),
      'GET',
      '/v1/incidents/{id}',
    );
    expect(seen.body.notice).toMatchObject({ contractIds: [contract.id] });

    const elsewhere = await stranger.client.get('/v1/incidents/notices');
    expect(elsewhere.body.items.map((n: { incidentId: string }) => n.incidentId)).not.toContain(incident.id);
    expect((await stranger.client.get(`/v1/incidents/${incident.id}`)).status).toBe(404);

    t.clock.advance(HEAD_REUSE_MS + 1);
    const mine = await buyer.client.get('/v1/ledger/mine?limit=200');
    expect(mine.status).toBe(200);
    const told = mine.body.entries.filter(
      (e: { action: string; subjectIds: string[] }) =>
        e.action === 'incident.partiesNotified' && e.subjectIds.includes(incident.id),
    );
    expect(told).toHaveLength(1);
    expect(told[0].payload.parties).toEqual([
      { organisationId: buyer.organisationId, contractIds: [contract.id] },
    ]);
    const strangers = await stranger.client.get('/v1/ledger/mine?limit=200');
    expect(
      strangers.body.entries.some((e: { subjectIds: string[] }) => e.subjectIds.includes(incident.id)),
    ).toBe(false);
  });

  it('records once when a told party reads its notice, also when it confirms twice at once; overseers see it', async () => {
    const listingId = await publishedListing(merchant.client, operator, listingBody([generalAsset]));
    const contract = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'active',
    });
    const incident = await reported(merchant.client, { affectedAssetIds: [generalAsset] });
    const receipts = async () =>
      conforms(
        await regulator.get(`/v1/incidents/${incident.id}/notices`),
        'GET',
        '/v1/incidents/{id}/notices',
      ).body.items;
    const buyerName = (await regulator.get(`/v1/organisations/${buyer.organisationId}`)).body.name as string;
    expect(await receipts()).toEqual([
      {
        organisationId: buyer.organisationId,
        organisationName: buyerName,
        contractIds: expect.arrayContaining([contract.id]), // and the earlier tests' contracts on the asset
        notifiedAt: expect.any(String),
        readAt: null,
      },
    ]);

    // Two confirmations at once: one sets readAt and writes the entry; both answer with the same readAt.
    const path = `/v1/incidents/${incident.id}/notice/read`;
    const replies = await Promise.all([buyer.client.post(path), buyer.client.post(path)]);
    for (const reply of replies) conforms(reply, 'POST', '/v1/incidents/{id}/notice/read');
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const readAt = replies[0].body.readAt as string;
    expect(readAt).toBe(t.clock.now().toISOString());
    expect(replies[1].body.readAt).toBe(readAt);
    expect((await ledgerActions(t, incident.id)).filter((a) => a === 'incident.noticeRead')).toHaveLength(1);
    expect((await buyer.client.get('/v1/incidents/notices')).body.items[0]).toMatchObject({
      incidentId: incident.id,
      readAt,
    });
    expect((await buyer.client.get(`/v1/incidents/${incident.id}`)).body.notice.readAt).toBe(readAt);
    expect((await receipts())[0].readAt).toBe(readAt);

    // Nobody else confirms a notice it was not sent, nor reads who was told.
    expect((await stranger.client.post(path)).status).toBe(404);
    expect((await merchant.client.post(path)).status).toBe(404);
    expect((await buyer.client.get(`/v1/incidents/${incident.id}/notices`)).status).toBe(403);
  });

  it('does not tell the parties of a contract that ended before the incident', async () => {
    const listingId = await publishedListing(merchant.client, operator, listingBody([generalAsset]));
    const ended = await insertContract(t, {
      listingId,
      buyerOrganisationId: stranger.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'ended',
    });
    await t.app
      .get(MikroORM)
      .em.fork()
      .nativeUpdate(Contract, { id: ended.id }, { endedAt: new Date(t.clock.now().getTime() - 2 * DAY) });
    const incident = await reported(merchant.client, { affectedAssetIds: [generalAsset] });
    expect((await stranger.client.get(`/v1/incidents/${incident.id}`)).status).toBe(404);
  });
});

describe('the closing summary’s week (DS 16)', () => {
  it('flags an unclosed summary overdue once after the week, and records a later closure as late', async () => {
    const incident = await reported(merchant.client, { affectedAssetIds: [importantAsset] });
    expect(incident.overdue).toBe(false);
    await advance(8 * DAY);
    // Two sweeps at once (two API processes) and the heartbeat after them: each incident is flagged once.
    const service = t.app.get(IncidentService);
    const flagged = await Promise.all([
      service.flagOverdue(t.clock.now()),
      service.flagOverdue(t.clock.now()),
    ]);
    await t.app.get(OversightHeartbeat).tick();
    expect(await service.flagOverdue(t.clock.now())).toBe(0);
    expect(flagged[0] + flagged[1]).toBe((await service.overdueSummaries(t.clock.now())).length);
    const actions = await ledgerActions(t, incident.id);
    expect(actions.filter((a) => a === 'incident.summaryOverdue')).toHaveLength(1);

    const overdue = conforms(
      await regulator.get('/v1/incidents?overdue=true&limit=200'),
      'GET',
      '/v1/incidents',
    );
    const found = overdue.body.items.find((i: { id: string }) => i.id === incident.id);
    expect(found).toMatchObject({ overdue: true, overdueFlaggedAt: expect.any(String) });
    const summaries = await t.app.get(IncidentService).overdueSummaries(t.clock.now());
    expect(summaries.map((s) => s.incidentId)).toContain(incident.id);

    const closed = conforms(
      await merchant.client.post(`/v1/incidents/${incident.id}/closure`, {
        summary: '原因、处置与影响如下……',
      }),
      'POST',
      '/v1/incidents/{id}/closure',
    );
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', late: true, overdue: false });
    expect((await ledgerOf(t, incident.id)).at(-1)).toMatchObject({
      action: 'incident.closed',
      payload: { late: true },
    });
    const after = await regulator.get('/v1/incidents?overdue=true&limit=200');
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(incident.id);
  });
});

describe('the states and who may move them', () => {
  it('walks reported → acknowledged → contained → closed, each once', async () => {
    const incident = await reported(merchant.client, { importance: 'general' });
    const path = `/v1/incidents/${incident.id}`;
    const ack = conforms(
      await regulator.post(`${path}/acknowledgement`),
      'POST',
      '/v1/incidents/{id}/acknowledgement',
    );
    expect(ack.body).toMatchObject({ state: 'acknowledged' });
    expect((await regulator.post(`${path}/acknowledgement`)).status).toBe(409);
    const contained = await merchant.client.post(`${path}/containment`, { note: '已停用该账号' });
    expect(contained.body).toMatchObject({ state: 'contained' });
    const closed = await operator.post(`${path}/closure`, { summary: '总结报告' });
    expect(closed.body).toMatchObject({ state: 'closed', late: false, summary: '总结报告' });
    expect((await merchant.client.post(`${path}/containment`, { note: 'again' })).status).toBe(409);
    expect(await ledgerActions(t, incident.id)).toEqual([
      'incident.reported',
      'incident.acknowledged',
      'incident.contained',
      'incident.closed',
    ]);
  });

  it('hides another party’s incident (404) and keeps buyers from acknowledging (403)', async () => {
    const incident = await reported(merchant.client, { importance: 'general' });
    expect((await stranger.client.get(`/v1/incidents/${incident.id}`)).status).toBe(404);
    expect(
      (await stranger.client.post(`/v1/incidents/${incident.id}/closure`, { summary: 'x' })).status,
    ).toBe(404);
    const list = await stranger.client.get('/v1/incidents?limit=200');
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(incident.id);
    expect((await buyer.client.post(`/v1/incidents/${incident.id}/acknowledgement`)).status).toBe(403);
    expect((await regulator.post(`/v1/incidents/${incident.id}/closure`, { summary: 'x' })).status).toBe(403);
    expect((await regulator.post('/v1/incidents', body({ importance: 'general' }))).status).toBe(403);
  });

  it('lets a notified party read but not close the incident (403)', async () => {
    const listingId = await publishedListing(merchant.client, operator, listingBody([generalAsset]));
    await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'active',
    });
    const incident = await reported(merchant.client, { affectedAssetIds: [generalAsset] });
    const reply = await buyer.client.post(`/v1/incidents/${incident.id}/closure`, { summary: 'x' });
    expect([reply.status, reply.body.code]).toEqual([403, 'not_the_handler']);
  });

  it('lets exactly one of parallel acknowledgements take effect', async () => {
    const incident = await reported(merchant.client, { importance: 'general' });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => regulator.post(`/v1/incidents/${incident.id}/acknowledgement`)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await ledgerActions(t, incident.id)).filter((a) => a === 'incident.acknowledged')).toHaveLength(
      1,
    );
  });
});

describe('the yearly report (DS 16)', () => {
  it('lists the year’s incidents with totals, as JSON and as CSV, and records its hash when submitted', async () => {
    const year = t.clock.now().getUTCFullYear();
    const json = conforms(
      await regulator.get(`/v1/incidents/yearly-report?year=${year}`),
      'GET',
      '/v1/incidents/yearly-report',
    );
    expect(json.status).toBe(200);
    // The test clock may have crossed New Year during the file: the two years hold every incident.
    const previous = (await regulator.get(`/v1/incidents/yearly-report?year=${year - 1}`)).body;
    expect(json.body.totals.incidents + previous.totals.incidents).toBe(await countRows(t, 'incidents'));
    const incidents = json.body.totals.incidents;
    const levels = json.body.totals.byLevel;
    expect(levels['1'] + levels['2'] + levels['3'] + levels['4']).toBe(incidents);
    expect(json.body.incidents).toHaveLength(incidents);
    expect([...json.body.incidents, ...previous.incidents].some((l: { late: boolean }) => l.late)).toBe(true);
    const { year: y, totals, incidents: lines } = json.body;
    expect(json.body.contentSha256).toBe(
      createHash('sha256')
        .update(canonicalize({ year: y, totals, incidents: lines })!)
        .digest('hex'),
    );

    const csv = await regulator.request('GET', `/v1/incidents/yearly-report?year=${year}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = csv.body as string;
    const rows = text.trim().split('\r\n');
    expect(rows[0]).toBe(
      'id,title,level,importance,state,reportedAt,regulatorNotifiedAt,summaryDueAt,closedAt,summaryGiven,late,overdue',
    );
    expect(rows).toHaveLength(incidents + 1);

    expect((await regulator.get('/v1/incidents/yearly-report')).body.year).toBe(year);
    const empty = await regulator.get(`/v1/incidents/yearly-report?year=${year - 5}`);
    expect(empty.body.totals.incidents).toBe(0);
    expect((await merchant.client.get(`/v1/incidents/yearly-report?year=${year}`)).status).toBe(403);
    expect((await regulator.post('/v1/incidents/yearly-report', { year })).status).toBe(403);

    const submitted = conforms(
      await operator.post('/v1/incidents/yearly-report', { year }),
      'POST',
      '/v1/incidents/yearly-report',
    );
    expect(submitted.status).toBe(200);
    expect(await ledgerOf(t, `incident-report:${year}`)).toEqual([
      expect.objectContaining({
        action: 'incident.yearlyReportSubmitted',
        payload: expect.objectContaining({ year, contentSha256: submitted.body.contentSha256 }),
      }),
    ]);
  });
});
