import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { Computation } from '@app/compute';
import { Dataset } from '@app/datasets';
import { Incident } from '@app/oversight';
import type { DataLevel } from '@app/compliance';
import { Contract, Dispute, type ContractState, type Terms } from '@app/trading';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { query } from './support/money-fixtures.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * The regulators' supervision views (DS 58, 59; DE 58) over a small market whose every figure is known: trades by
 * period, industry and level (window edges, an amount beyond 2^53 fen exact), listings, disputes, incidents,
 * suspensions, the important-data catalogue and ε per dataset; CSV with the same rows as JSON; 403 for a buyer and
 * a merchant on every route, 400 for hostile windows. On SQLite and (with DATABASE_URL) PostgreSQL.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let buyer: Party;
let openApi: OpenApiDocument;
let transportListing: string;
let financeListing: string;
let suspendedListing: string;
let transportAsset: { id: string };
let importantAsset: { id: string; registrationNumber: string };
let suspendedParty: Party;
const contracts: Record<string, Contract> = {};
const HUGE_FEN = 9_007_199_254_740_993n; // 2^53 + 1: a float would lose the last fen
const SUSPENDED_TITLE = '=路口车流,"高峰"统计';
const NOW = () => t.clock.now();

const ROUTES = [
  '/v1/supervision/trades',
  '/v1/supervision/listings',
  '/v1/supervision/disputes',
  '/v1/supervision/incidents',
  '/v1/supervision/overdue',
  '/v1/supervision/suspensions',
  '/v1/supervision/important-data',
  '/v1/supervision/epsilon',
];

const oneOff = (priceFen: bigint): Terms =>
  computeTerms({ billingUnit: 'one-off', priceFen, computations: null });

/** A contract funded at `fundedAt` (null: never funded), written straight to the database. */
async function trade(
  name: string,
  listingId: string,
  fundedAt: Date | null,
  terms: Terms,
  extra: { level?: DataLevel; state?: ContractState; computationsUsed?: number } = {},
): Promise<void> {
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms,
    state: 'signed',
  });
  await t.app
    .get(MikroORM)
    .em.fork()
    .nativeUpdate(
      Contract,
      { id: contract.id },
      {
        fundedAt,
        level: extra.level ?? 'general',
        state: extra.state ?? (fundedAt ? 'active' : 'signed'),
        escrow: fundedAt ? 'held' : 'unfunded',
        computationsUsed: extra.computationsUsed ?? 0,
      },
    );
  contracts[name] = contract;
}

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  suspendedParty = await world.party(['buyer'], operator);
  openApi = (await world.anonymous.get('/openapi.json')).body;

  transportAsset = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
  const financeAsset = await registerAsset(
    merchant.client,
    operator,
    assetBody(merchant.organisationId, { industry: 'finance', title: '小微企业月度流水' }),
  );
  importantAsset = await registerAsset(
    merchant.client,
    operator,
    assetBody(merchant.organisationId, { ...assetVariants.important, title: '电网负荷（重要数据）' }),
  );
  transportListing = await publishedListing(merchant.client, operator, listingBody([transportAsset.id]));
  financeListing = await publishedListing(merchant.client, operator, listingBody([financeAsset.id]));
  suspendedListing = await publishedListing(
    merchant.client,
    operator,
    listingBody([transportAsset.id], { title: SUSPENDED_TITLE }),
  );
  expect(
    (await regulator.post(`/v1/listings/${suspendedListing}/suspend`, { reason: '涉嫌超范围, "待核查"' }))
      .status,
  ).toBe(200);
  expect(
    (
      await operator.post(`/v1/organisations/${suspendedParty.organisationId}/admission`, {
        decision: 'suspend',
        reason: '未按期提交风险评估报告',
      })
    ).status,
  ).toBe(200);

  await trade('jan', transportListing, new Date('2025-01-15T08:00:00Z'), oneOff(100_000n));
  await trade('janEdge', transportListing, new Date('2025-01-31T23:59:59.999Z'), oneOff(250_000n));
  await trade('feb', financeListing, new Date('2025-02-03T12:00:00Z'), oneOff(HUGE_FEN), {
    level: 'important',
  });
  await trade(
    'mar',
    transportListing,
    new Date('2025-03-01T00:00:00Z'),
    computeTerms({ billingUnit: 'per-computation', priceFen: 25_000n, computations: 2 }),
    { computationsUsed: 1 },
  );
  await trade('beforeWindow', transportListing, new Date('2024-12-31T23:59:59.999Z'), oneOff(70_000n));
  await trade('atWindowEnd', transportListing, new Date('2025-04-01T00:00:00Z'), oneOff(80_000n));
  await trade('unfunded', transportListing, null, oneOff(90_000n));
  await trade('recent', financeListing, new Date(NOW().getTime() - 3_600_000), oneOff(12_345n));
  await trade('suspended', transportListing, new Date('2025-05-05T00:00:00Z'), oneOff(60_000n));
  const suspension = await regulator.post(`/v1/contracts/${contracts.suspended.id}/suspension`, {
    reason: '买方涉嫌转售数据，暂停待查',
  });
  expect(suspension.body).toMatchObject({
    state: 'suspended',
    suspensionReason: '买方涉嫌转售数据，暂停待查',
  });

  // Open disputes through the API (they freeze the escrow); decided ones straight into the table.
  for (const name of ['jan', 'mar'])
    expect(
      (
        await buyer.client.post(`/v1/contracts/${contracts[name].id}/disputes`, {
          statement: '交付数据缺失',
          evidenceHashes: [],
        })
      ).status,
    ).toBe(201);
  const em = t.app.get(MikroORM).em.fork();
  for (const [contract, outcome, decidedAt] of [
    ['feb', 'split', '2025-02-10T00:00:00Z'],
    ['janEdge', 'refund', '2024-06-01T00:00:00Z'],
  ] as const)
    await em.insert(Dispute, {
      id: randomUUID(),
      contractId: contracts[contract].id,
      openedByOrganisationId: buyer.organisationId,
      openedBySide: 'buyer',
      openedByAccountId: buyer.accountId,
      statement: '质量争议',
      evidenceHashes: [],
      state: 'decided',
      outcome,
      buyerShareBasisPoints: outcome === 'split' ? 5000 : null,
      decisionReason: '已核实',
      decidedByAccountId: buyer.accountId,
      decidedAt: new Date(decidedAt),
      createdAt: new Date(decidedAt),
    });

  for (const [level, state] of [
    [3, 'reported'],
    [3, 'reported'],
    [4, 'closed'],
  ] as const)
    await em.insert(Incident, {
      id: randomUUID(),
      reportedByOrganisationId: merchant.organisationId,
      reportedByAccountId: merchant.accountId,
      title: '接口异常访问',
      description: '异常访问',
      occurredAt: NOW(),
      affectedAssetIds: [],
      importance: 'general',
      importanceSource: 'declared',
      businessLoss: 'smaller',
      socialHarm: 'smaller',
      level,
      levelJustification: '表3',
      measures: '更换密钥',
      state,
      regulatorNotifiedAt: null,
      summaryDueAt: null,
      overdueFlaggedAt: null,
      summary: state === 'closed' ? '已处置' : null,
      acknowledgedByAccountId: null,
      acknowledgedAt: null,
      containedAt: null,
      closedByAccountId: null,
      closedAt: null,
      reportedAt: NOW(),
      updatedAt: NOW(),
    });

  const dataset = randomUUID();
  await em.insert(Dataset, {
    id: dataset,
    assetId: transportAsset.id,
    version: 1,
    organisationId: merchant.organisationId,
    uploadedByAccountId: merchant.accountId,
    state: 'ready',
    paramSet: 'ckks-8192',
    scheme: 'ckks',
    rowCount: 100,
    chunkCount: 0,
    totalBytes: 0,
    manifest: {} as never,
    manifestHash: '0'.repeat(64),
    chunksRoot: null,
    createdAt: NOW(),
    updatedAt: NOW(),
    completedAt: NOW(),
  });
  for (const [state, spent] of [
    ['released', 500],
    ['released', 700],
    ['queued', null],
  ] as const)
    await em.insert(Computation, {
      id: randomUUID(),
      contractId: contracts.mar.id,
      datasetId: dataset,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      submittedByAccountId: buyer.accountId,
      recipe: 'mean',
      bindings: {},
      filters: [],
      paramsSha256: null,
      queryKey: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      jobSpec: {} as never,
      rowSet: [[0, 100]],
      rowsAggregated: 100,
      minRows: 50,
      epsilonMilli: 500,
      state,
      reasonCode: null,
      reason: null,
      attempt: 1,
      evaluationSha256: null,
      outputSha256: null,
      inputsSha256: null,
      resultSha256: null,
      epsilonSpentMilli: spent,
      meteredUnit: null,
      repeatOf: null,
      queuedAt: NOW(),
      startedAt: null,
      evaluatedAt: null,
      finishedAt: null,
      updatedAt: NOW(),
    });
}, 120_000);
afterAll(() => t.close());

/** A 200 whose body has exactly its documented shape. */
async function figures(path: string): Promise<Reply> {
  const reply = await regulator.get(path);
  expect([reply.status, reply.body?.code]).toEqual([200, undefined]);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const template = path.split('?')[0];
  expect(schemaProblems(openApi, responseSchema(openApi, 'GET', template, 200), reply.body)).toEqual([]);
  return reply;
}

/** RFC 4180: fields split on commas outside quotes, `""` inside quotes a quote, records ended by CRLF. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

async function csv(path: string): Promise<Record<string, string>[]> {
  const reply = await regulator.get(`${path}${path.includes('?') ? '&' : '?'}format=csv`);
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return parseCsv(reply.body as string);
}

/** A JSON row as its CSV row reads: every value as text, null empty. */
const asCsv = (row: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v as string | number)]),
  );

describe('trades', () => {
  const WINDOW = '/v1/supervision/trades?from=2025-01-01&to=2025-04-01&period=month';

  it('counts funded contracts by month, industry and level within [from, to), the volume exact to the fen', async () => {
    const { body } = await figures(WINDOW);
    expect(body).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-04-01T00:00:00.000Z',
      period: 'month',
      rows: [
        { period: '2025-01', industry: 'transport', level: 'general', trades: 2, volumeFen: '350000' },
        {
          period: '2025-02',
          industry: 'finance',
          level: 'important',
          trades: 1,
          volumeFen: HUGE_FEN.toString(),
        },
        { period: '2025-03', industry: 'transport', level: 'general', trades: 1, volumeFen: '50000' },
      ],
      totals: { trades: 4, volumeFen: (HUGE_FEN + 400_000n).toString() },
    });
  });

  it('buckets by day and by year', async () => {
    const daily = await figures('/v1/supervision/trades?from=2025-01-31&to=2025-02-04&period=day');
    expect(daily.body.rows).toEqual([
      { period: '2025-01-31', industry: 'transport', level: 'general', trades: 1, volumeFen: '250000' },
      {
        period: '2025-02-03',
        industry: 'finance',
        level: 'important',
        trades: 1,
        volumeFen: HUGE_FEN.toString(),
      },
    ]);
    const yearly = await figures('/v1/supervision/trades?from=2025-01-01&to=2026-01-01&period=year');
    expect(yearly.body.rows).toEqual([
      { period: '2025', industry: 'finance', level: 'important', trades: 1, volumeFen: HUGE_FEN.toString() },
      { period: '2025', industry: 'transport', level: 'general', trades: 5, volumeFen: '540000' },
    ]);
  });

  it('covers the last 12 months by month by default', async () => {
    const { body } = await figures('/v1/supervision/trades');
    const now = NOW();
    const recent = new Date(now.getTime() - 3_600_000).toISOString();
    expect(body.from).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString());
    expect(body.period).toBe('month');
    expect(body.rows).toContainEqual({
      period: recent.slice(0, 7),
      industry: 'finance',
      level: 'general',
      trades: 1,
      volumeFen: '12345',
    });
  });

  it('gives the same rows as CSV', async () => {
    const { body } = await figures(WINDOW);
    expect(await csv(WINDOW)).toEqual(body.rows.map(asCsv));
  });
});

it('counts listings by level, pricing mode and status', async () => {
  const { body } = await figures('/v1/supervision/listings');
  expect(body.rows).toEqual([
    { level: 'general', pricingMode: 'market', status: 'published', listings: 2 },
    { level: 'general', pricingMode: 'market', status: 'suspended', listings: 1 },
  ]);
  expect(await csv('/v1/supervision/listings')).toEqual(body.rows.map(asCsv));
});

it('shows the open disputes with the escrow they freeze, and those decided in the window by outcome', async () => {
  const path = '/v1/supervision/disputes?from=2025-01-01&to=2025-04-01';
  const { body } = await figures(path);
  expect(body.open).toEqual({ count: 2, frozenFen: '125000', oldestOpenedAt: expect.any(String) });
  expect(body.decided).toEqual([{ outcome: 'split', disputes: 1 }]);
  expect(await csv(path)).toEqual([
    {
      figure: 'open',
      outcome: '',
      disputes: '2',
      frozenFen: '125000',
      oldestOpenedAt: body.open.oldestOpenedAt,
    },
    { figure: 'decided', outcome: 'split', disputes: '1', frozenFen: '', oldestOpenedAt: '' },
  ]);
});

it('counts incidents by level and state', async () => {
  const { body } = await figures('/v1/supervision/incidents');
  expect(body).toEqual({
    rows: [
      { level: 3, state: 'reported', incidents: 2 },
      { level: 4, state: 'closed', incidents: 1 },
    ],
    overdueSummaries: 0,
  });
  expect(await csv('/v1/supervision/incidents')).toEqual(body.rows.map(asCsv));
});

it('lists what is overdue, one CSV row per item with its kind', async () => {
  const { body } = await figures('/v1/supervision/overdue');
  expect(body.summaries).toEqual([]);
  const rows = await csv('/v1/supervision/overdue');
  expect(rows.map((r) => [r.kind, r.organisationId])).toEqual(
    (body.riskReports as { organisationId: string }[]).map((h) => ['riskReport', h.organisationId]),
  );
});

it('lists suspended listings, contracts and organisations with their reasons; CSV quotes and defuses text', async () => {
  const { body } = await figures('/v1/supervision/suspensions');
  expect(body.items).toEqual([
    {
      kind: 'listing',
      id: suspendedListing,
      name: SUSPENDED_TITLE,
      organisationId: merchant.organisationId,
      reason: '涉嫌超范围, "待核查"',
      since: expect.any(String),
    },
    {
      kind: 'contract',
      id: contracts.suspended.id,
      name: '路口车流量统计（可用不可见）',
      organisationId: merchant.organisationId,
      reason: '买方涉嫌转售数据，暂停待查',
      since: expect.any(String),
    },
    {
      kind: 'organisation',
      id: suspendedParty.organisationId,
      name: `Party ${suspendedParty.username}`,
      organisationId: suspendedParty.organisationId,
      reason: '未按期提交风险评估报告',
      since: expect.any(String),
    },
  ]);
  const rows = await csv('/v1/supervision/suspensions');
  // A title a spreadsheet would run as a formula gets a leading apostrophe; the rest is as in JSON.
  expect(rows).toEqual(
    body.items.map((item: Record<string, unknown>, i: number) =>
      asCsv(i === 0 ? { ...item, name: `'${SUSPENDED_TITLE}` } : item),
    ),
  );
});

it('shows the important-data catalogue of each holder (DS 22)', async () => {
  const { body } = await figures('/v1/supervision/important-data');
  expect(body.organisations).toEqual([
    {
      organisationId: merchant.organisationId,
      organisationName: `Party ${merchant.username}`,
      assets: [
        {
          assetId: importantAsset.id,
          title: '电网负荷（重要数据）',
          level: 'important',
          registrationNumber: importantAsset.registrationNumber,
        },
      ],
    },
  ]);
  expect(await csv('/v1/supervision/important-data')).toEqual([
    asCsv({
      organisationId: merchant.organisationId,
      organisationName: `Party ${merchant.username}`,
      assetId: importantAsset.id,
      title: '电网负荷（重要数据）',
      level: 'important',
      registrationNumber: importantAsset.registrationNumber,
    }),
  ]);
});

it('sums the ε released computations spent per dataset', async () => {
  const { body } = await figures('/v1/supervision/epsilon');
  expect(body.rows).toEqual([
    {
      datasetId: expect.any(String),
      assetId: transportAsset.id,
      assetTitle: '海东市路口车流量（5 分钟粒度）',
      releasedComputations: 2,
      epsilonSpentMilli: 1200,
    },
  ]);
  expect(await csv('/v1/supervision/epsilon')).toEqual(body.rows.map(asCsv));
});

it('answers the operator too, and refuses buyers, merchants and the anonymous on every route', async () => {
  for (const route of ROUTES) {
    expect([route, (await operator.get(route)).status]).toEqual([route, 200]);
    for (const client of [buyer.client, merchant.client])
      for (const format of ['', '?format=csv']) {
        const reply = await client.get(`${route}${format}`);
        expect([route, reply.status, reply.body.code]).toEqual([route, 403, expect.any(String)]);
      }
    expect([route, (await world.anonymous.get(route)).status]).toEqual([route, 401]);
  }
});

it('refuses hostile windows and formats with a 400 that says what was wrong', async () => {
  const cases: [string, RegExp][] = [
    ['/v1/supervision/trades?period=week', /period/],
    ['/v1/supervision/trades?from=2025-03-01&to=2025-01-01', /after/],
    ['/v1/supervision/disputes?from=2025-03-01&to=2025-01-01', /after/],
    ['/v1/supervision/trades?from=yesterday', /from/],
    ['/v1/supervision/trades?from=2025-02-30', /from/],
    ['/v1/supervision/trades?to=2025-01-01T00:00', /to/],
    ['/v1/supervision/trades?from=2020-01-01&to=2025-01-01&period=day', /366 days/],
    ['/v1/supervision/listings?format=xml', /format/],
    ['/v1/supervision/listings?from=2025-01-01', /from/],
    ['/v1/supervision/trades?period=month&period=day', /period/],
    ["/v1/supervision/trades?industry=x'%20or%201=1--", /industry/],
  ];
  for (const [path, message] of cases) {
    const reply = await regulator.get(path);
    expect([path, reply.status]).toEqual([path, 400]);
    expect([path, String(reply.body.message)]).toEqual([path, expect.stringMatching(message)]);
  }
});

it('keeps the figures in the database: nothing written by reading them', async () => {
  const count = async () =>
    (await query<{ n: unknown }>(t, `select count(*) as "n" from "ledger_entries"`))[0].n;
  const before = await count();
  for (const route of ROUTES) await regulator.get(route);
  expect(await count()).toEqual(before);
});
