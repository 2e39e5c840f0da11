// The supervision views over a large market. `npm run bench -- supervision [--quick] [--runs=N]`.
// Starts the real API over a fresh database (SQLite, or PostgreSQL when DATABASE_URL names a server), seeds it
// straight with bulk inserts — 100,000 funded contracts (10,000 with --quick) spread over 300 listings in 8
// industries and the three levels across 24 months, 1% of them disputed, some suspended, a few hundred released
// computations — then times each view through SupervisionService N times, and the trades view once more through
// HTTP as a regulator. One JSON line per figure: {bench, figure, value, unit, n}. The aim: each view under 200 ms.
import { randomUUID } from 'node:crypto';
import { MikroORM, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Asset } from '@app/assets';
import { Listing, ListingAsset } from '@app/catalog';
import type { DataLevel } from '@app/compliance';
import { Computation } from '@app/compute';
import { Dataset } from '@app/datasets';
import { Organisation } from '@app/identity';
import { SupervisionService } from '@app/oversight';
import { Contract, Dispute, Negotiation } from '@app/trading';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { World } from '../../test/support/world.js';
import { isQuick, median, report } from '../report.js';

const BENCH = 'supervision';
const LISTINGS = 300;
const INDUSTRIES = [
  'transport',
  'finance',
  'energy',
  'health',
  'retail',
  'weather',
  'telecom',
  'agriculture',
];
const LEVELS: DataLevel[] = ['general', 'general', 'general', 'important', 'core'];
const MONTHS = 24;
const DAY = 86_400_000;

const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** Deterministic pseudo-random integers in [0, bound), so runs are comparable. */
function randomInts(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  };
}

/** Inserts `rows` in statements of `per` rows (under SQLite's and PostgreSQL's bound-parameter limits). */
async function bulk(em: EntityManager, entity: EntityName, rows: object[], per = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += per) await em.fork().insertMany(entity, rows.slice(i, i + per));
}

async function seed(t: TestApp, trades: number): Promise<void> {
  const em = t.app.get(MikroORM).em.fork() as EntityManager;
  const next = randomInts(42);
  const now = t.clock.now();
  const organisations = Array.from({ length: 60 }, (_, i) => ({
    id: randomUUID(),
    kind: 'organisation',
    name: `机构 ${i}`,
    identifierDisplay: `91${String(i).padStart(16, '0')}`,
    identifierDigest: randomUUID().replaceAll('-', '').padEnd(64, '0'),
    roles: i < 20 ? ['merchant'] : ['buyer'],
    registeredIn: 'CN',
    status: i % 29 === 7 ? 'suspended' : 'admitted',
    statusReason: i % 29 === 7 ? '未按期整改' : null,
    createdAt: now,
    updatedAt: now,
  }));
  await bulk(em, Organisation, organisations);
  const merchants = organisations.slice(0, 20);
  const buyers = organisations.slice(20);
  const assets = Array.from({ length: LISTINGS }, (_, i) => {
    const level = LEVELS[i % LEVELS.length];
    const holder = merchants[i % merchants.length].id;
    return {
      id: randomUUID(),
      registrantId: holder,
      status: 'registered',
      version: 1,
      title: `数据资产 ${i}`,
      description: 'bench',
      industry: INDUSTRIES[i % INDUSTRIES.length],
      dataKind: 'enterprise',
      source: { method: 'sensor', description: 'bench' },
      columns: [],
      rowCount: 1000,
      updateFrequency: 'daily',
      timeRangeStart: '2025-01-01',
      timeRangeEnd: '2025-12-31',
      affectedObject: 'economic-operation',
      harm: 'general',
      computedLevel: level,
      declaredLevel: null,
      level,
      levelJustification: 'bench',
      openAttribute: 'not-open',
      shareAttribute: null,
      rights: [{ right: 'holding', organisationId: holder, shareBasisPoints: 10_000 }],
      registrationNumber: `BENCH-${i}`,
      registeredAt: now,
      statusReason: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  await bulk(em, Asset, assets, 200);
  const listings = assets.map((a, i) => ({
    id: randomUUID(),
    organisationId: a.registrantId,
    title: `产品 ${i}`,
    description: 'bench',
    industry: a.industry,
    level: a.level,
    openAttribute: 'not-open',
    dataKinds: ['enterprise'],
    pricingMode: i % 4 === 0 ? 'guided' : 'market',
    priceFen: 100_000n,
    pricingCategory: null,
    pricingBandId: null,
    billingUnits: ['one-off'],
    subscriptionDays: null,
    delivery: 'compute',
    recipes: [],
    minRows: 50,
    epsilonBudgetMilli: null,
    epsilonPerReleaseMilli: null,
    status: i % 50 === 3 ? 'suspended' : 'published',
    statusReason: i % 50 === 3 ? '涉嫌违规' : null,
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
  }));
  await bulk(em, Listing, listings, 200);
  await bulk(
    em,
    ListingAsset,
    listings.map((l, i) => ({ listingId: l.id, assetId: assets[i].id, position: 0 })),
  );
  const datasets = assets.slice(0, 50).map((a) => ({
    id: randomUUID(),
    assetId: a.id,
    version: 1,
    organisationId: a.registrantId,
    uploadedByAccountId: randomUUID(),
    state: 'ready',
    paramSet: 'ckks-8192',
    scheme: 'ckks',
    rowCount: 1000,
    chunkCount: 0,
    totalBytes: 0,
    manifest: {},
    manifestHash: '0'.repeat(64),
    chunksRoot: null,
    createdAt: now,
    updatedAt: now,
    completedAt: now,
  }));
  await bulk(em, Dataset, datasets);

  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS + 1, 1);
  const span = now.getTime() - start;
  const terms = {
    purpose: 'bench',
    columns: [],
    recipes: [],
    delivery: 'compute',
    billingUnit: 'one-off',
    priceFen: '100000',
    periodDays: 30,
    computations: null,
  };
  for (let at = 0; at < trades; at += 2000) {
    const negotiations: object[] = [];
    const contracts: object[] = [];
    const disputes: object[] = [];
    const computations: object[] = [];
    for (let i = at; i < Math.min(trades, at + 2000); i++) {
      const listing = listings[next(LISTINGS)];
      const buyer = buyers[next(buyers.length)].id;
      const fundedAt = new Date(start + next(span));
      const amount = BigInt(1_000 + next(1_000_000));
      const negotiationId = randomUUID();
      const contractId = randomUUID();
      const disputed = i % 100 === 0;
      const suspended = i % 997 === 0;
      negotiations.push({
        id: negotiationId,
        listingId: listing.id,
        buyerOrganisationId: buyer,
        merchantOrganisationId: listing.organisationId,
        state: 'finalized',
        version: 1,
        agreedVersion: 1,
        purposeApproval: 'not_required',
        contractId,
        createdAt: fundedAt,
        updatedAt: fundedAt,
      });
      contracts.push({
        id: contractId,
        negotiationId,
        version: 1,
        listingId: listing.id,
        buyerOrganisationId: buyer,
        merchantOrganisationId: listing.organisationId,
        level: listing.level,
        terms: { ...terms, priceFen: amount.toString() },
        termsHash: '0x' + '0'.repeat(64),
        clauses: [],
        amountFen: amount,
        platformFeeBasisPoints: 300,
        publicResourceFeeBasisPoints: 0,
        shares: [{ organisationId: listing.organisationId, basisPoints: 10_000 }],
        state: disputed ? 'disputed' : suspended ? 'suspended' : 'active',
        escrow: 'held',
        computationsUsed: 0,
        epsilonBudgetMilli: 10_000,
        epsilonSpentMilli: 0,
        fundedAt,
        createdAt: fundedAt,
        updatedAt: fundedAt,
      });
      if (disputed)
        disputes.push({
          id: randomUUID(),
          contractId,
          openedByOrganisationId: buyer,
          openedBySide: 'buyer',
          openedByAccountId: randomUUID(),
          statement: 'bench',
          evidenceHashes: [],
          state: i % 200 === 0 ? 'open' : 'decided',
          outcome: i % 200 === 0 ? null : 'refund',
          decidedAt: i % 200 === 0 ? null : new Date(fundedAt.getTime() + DAY),
          createdAt: fundedAt,
        });
      if (i % 250 === 1)
        computations.push({
          id: randomUUID(),
          contractId,
          datasetId: datasets[next(datasets.length)].id,
          buyerOrganisationId: buyer,
          merchantOrganisationId: listing.organisationId,
          submittedByAccountId: randomUUID(),
          recipe: 'mean',
          bindings: {},
          filters: [],
          queryKey: randomUUID().replaceAll('-', '').padEnd(64, '0'),
          jobSpec: {},
          rowSet: [[0, 100]],
          rowsAggregated: 100,
          minRows: 50,
          epsilonMilli: 500,
          state: 'released',
          attempt: 1,
          epsilonSpentMilli: 500,
          queuedAt: fundedAt,
          updatedAt: fundedAt,
        });
    }
    await bulk(em, Negotiation, negotiations);
    await bulk(em, Contract, contracts, 300);
    await bulk(em, Dispute, disputes);
    await bulk(em, Computation, computations, 200);
  }
  // Fresh statistics, as a database that has grown over months has them.
  await em.getConnection().execute('analyze', [], 'run');
}

async function time(work: () => Promise<unknown>, runs: number): Promise<number> {
  await work(); // warm: statement caches, the first connection
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return Math.round(median(times) * 10) / 10;
}

async function main(): Promise<void> {
  const trades = Number(option('trades') ?? (isQuick() ? 10_000 : 100_000));
  const runs = Number(option('runs') ?? (isQuick() ? 5 : 15));
  const t = await startTestApp();
  try {
    const db = t.database.kind;
    const seeding = performance.now();
    await seed(t, trades);
    report({
      bench: BENCH,
      figure: `seed_s.${db}`,
      value: Math.round((performance.now() - seeding) / 100) / 10,
      unit: 's',
      n: trades,
    });
    const service = t.app.get(SupervisionService);
    const views: [string, () => Promise<unknown>][] = [
      ['trades', () => service.trades({})],
      ['trades_by_day', () => service.trades({ period: 'day' })],
      ['trades_all_years', () => service.trades({ period: 'year', from: new Date('2000-01-01') })],
      ['listings', () => service.listings()],
      ['disputes', () => service.disputes({})],
      ['incidents', () => service.incidentFigures()],
      ['overdue', () => service.overdue()],
      ['suspensions', () => service.suspensions()],
      ['important_data', () => service.importantData()],
      ['epsilon', () => service.epsilon()],
    ];
    for (const [name, work] of views)
      report({
        bench: BENCH,
        figure: `${name}_ms_median.${db}`,
        value: await time(work, runs),
        unit: 'ms',
        n: trades,
      });
    const regulator = (await new World(t).overseer('regulator')).client;
    for (const [name, path] of [
      ['http_trades', '/v1/supervision/trades'],
      ['http_trades_csv', '/v1/supervision/trades?format=csv'],
    ] as const)
      report({
        bench: BENCH,
        figure: `${name}_ms_median.${db}`,
        value: await time(async () => {
          const reply = await regulator.get(path);
          if (reply.status !== 200) throw new Error(`${path}: ${reply.status}`);
        }, runs),
        unit: 'ms',
        n: trades,
      });
  } finally {
    await t.close();
  }
}

await main();
