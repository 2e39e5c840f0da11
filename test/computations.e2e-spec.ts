import { randomUUID } from 'node:crypto';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { ComputationService, sha256Hex } from '@app/compute';
import { InProcessJobQueue, jobIdFor, JobQueue } from '@app/jobs';
import { generateResultKeyPair, sealResult, toBase64Url, type ResultKeyPair } from '@app/results/core';
import { recipeNames } from '@app/catalog';
import type { Contract } from '@app/trading';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { HttpClient } from './support/http-client.js';
import { listingBody, publishedListing } from './support/listing-fixtures.js';
import {
  availableOf,
  balances,
  deposit,
  expectSound,
  fund,
  ledgerActions,
  query,
} from './support/money-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * The platform's side of computations over HTTP, on SQLite and (with DATABASE_URL) PostgreSQL: every pre-check
 * refusal with its code and nothing written, visibility, the release in one transaction with its ε and its metered
 * unit, idempotent release, refusal, repeats and the re-enqueue sweep. The sandbox worker is not run here: a
 * computation is moved to `evaluated` by the `evaluated` fixture below (an evaluation blob and the row's update).
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let stranger: Party;
let listingId: string;
let datasetId: string;
let blobs: BlobStore;
const ROWS = 200;

beforeAll(async () => {
  t = await startTestApp();
  // The platform's side alone: the datasets here hold no real ciphertexts, and evaluations are written by a fixture.
  // On Redis nothing consumes the queue in this file; in-process, the queue is held the same way.
  const queue = t.app.get(JobQueue);
  if (queue instanceof InProcessJobQueue) queue.hold();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  stranger = await world.party(['buyer'], operator);
  blobs = t.app.get<BlobStore>(BLOB_STORE);
  const asset = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
  listingId = await publishedListing(
    merchant.client,
    operator,
    listingBody([asset.id], {
      recipes: [
        { recipe: 'mean', columns: ['vehicle_count'] },
        { recipe: 'sum', columns: ['vehicle_count'] },
      ],
    }),
  );
  datasetId = await readyDataset(asset.id);
});
afterAll(() => t.close());

/**
 * A ready dataset version written straight to the database (fixture: the upload itself is tested in
 * test/datasets*.e2e-spec.ts): `vehicle_count` encrypted (its ciphertext and keys are named by hash only, never
 * evaluated here) and the public `intersection_id`, stored as the CLI stores it (little-endian float64), row i
 * holding i mod 20, so `intersection_id < n` selects 10·n rows.
 */
async function readyDataset(assetId: string): Promise<string> {
  const values = Buffer.alloc(ROWS * 8);
  for (let i = 0; i < ROWS; i++) values.writeDoubleLE(i % 20, i * 8);
  const stored = await blobs.put(values);
  const fake = (s: string) => sha256Hex(s);
  const manifest = {
    assetId,
    paramSet: 'bfv-8192-t50',
    rowCount: ROWS,
    columns: [
      { name: 'intersection_id', encrypted: false },
      { name: 'vehicle_count', encrypted: true, spec: { kind: 'integer', min: 0, max: 1000 } },
    ],
    chunks: [
      { kind: 'ciphertext', column: 'vehicle_count', index: 0, sha256: fake('ct0'), sizeBytes: 10 },
      { kind: 'publicColumn', column: 'intersection_id', sha256: stored.sha256, sizeBytes: ROWS * 8 },
      { kind: 'relinKeys', paramSet: 'bfv-8192-t50', sha256: fake('relin'), sizeBytes: 10 },
      { kind: 'galoisKeys', paramSet: 'bfv-8192-t50', sha256: fake('galois'), sizeBytes: 10 },
    ],
  };
  const id = randomUUID();
  const now = t.clock.now();
  await query(
    t,
    `insert into "datasets" ("id", "asset_id", "version", "organisation_id", "uploaded_by_account_id", "state",
       "param_set", "scheme", "row_count", "chunk_count", "total_bytes", "manifest", "manifest_hash", "chunks_root",
       "created_at", "updated_at", "completed_at") values (?, ?, 1, ?, ?, 'ready', 'bfv-8192-t50', 'bfv', ?, 4, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      assetId,
      merchant.organisationId,
      merchant.accountId,
      ROWS,
      ROWS * 8 + 30,
      JSON.stringify(manifest),
      fake('manifest'),
      fake('root'),
      now,
      now,
      now,
    ],
  );
  return id;
}

/**
 * A funded, active per-computation contract of a new buyer (3 computations at 1000 fen), optionally with its key;
 * or a subscription (3000 fen for the period).
 */
async function activeContract(
  options: {
    key?: boolean;
    computations?: number;
    budgetMilli?: number;
    subscription?: boolean;
    free?: boolean;
  } = {},
): Promise<{ buyer: Party; contract: Contract; keys: ResultKeyPair }> {
  const buyer = await world.party(['buyer'], operator);
  const units = options.computations ?? 3;
  if (!options.free)
    expect((await deposit(operator, buyer.organisationId, String(1000 * units))).status).toBe(201);
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms: options.subscription
      ? computeTerms({ billingUnit: 'subscription', priceFen: 3000n, computations: null, periodDays: 5 })
      : computeTerms({ priceFen: options.free ? 0n : 1000n, computations: units, periodDays: 5 }),
    state: 'signed',
    epsilonBudgetMilli: options.budgetMilli ?? 10_000,
  });
  expect((await fund(buyer.client, contract.id, randomUUID())).status).toBe(200);
  const keys = await generateResultKeyPair();
  if (options.key !== false)
    expect(
      (await buyer.client.post('/v1/result-keys', { publicKey: toBase64Url(keys.publicKey) })).status,
    ).toBeLessThan(300);
  return { buyer, contract, keys };
}

const meanOver = (contractId: string, below: number, extra: Record<string, unknown> = {}) => ({
  contractId,
  recipe: 'mean',
  bindings: { x: 'vehicle_count' },
  filters: [{ column: 'intersection_id', op: 'lt', value: below }],
  ...extra,
});

const count = async (table: string, where = '1 = 1', params: unknown[] = []) =>
  Number(
    (
      await query<{ n: number | string }>(t, `select count(*) as "n" from "${table}" where ${where}`, params)
    )[0].n,
  );

const contractRow = async (id: string) =>
  (
    await query<{ epsilon_spent_milli: number; computations_used: number }>(
      t,
      `select "epsilon_spent_milli", "computations_used" from "contracts" where "id" = ?`,
      [id],
    )
  )[0];

/** Fixture: what the sandbox worker does, reduced to its effect on the row (an evaluation blob, state evaluated). */
async function evaluated(computationId: string): Promise<void> {
  const evaluation = {
    format: 'exchange-evaluation/1',
    recipe: 'mean',
    params: null,
    paramSet: 'bfv-8192-t50',
    inputHashes: { vehicle_count: [sha256Hex('ct0')] },
    outputs: {},
    clear: { rows: ROWS },
    outputSha256: sha256Hex(`output of ${computationId}`),
  };
  const stored = await blobs.put(Buffer.from(JSON.stringify(evaluation), 'utf8'));
  const now = t.clock.now();
  await query(
    t,
    `update "computations" set "state" = 'evaluated', "attempt" = 1, "evaluation_sha256" = ?, "output_sha256" = ?,
       "started_at" = ?, "evaluated_at" = ? where "id" = ? and "state" = 'queued'`,
    [stored.sha256, evaluation.outputSha256, now, now, computationId],
  );
}

const envelopeFor = async (keys: ResultKeyPair, computationId: string, contractId: string, text = 'result') =>
  sealResult(keys.publicKey, new TextEncoder().encode(text), { computationId, contractId });

describe('pre-checks', () => {
  it('refuses each request with its code and writes, spends and charges nothing', async () => {
    const { buyer, contract } = await activeContract();
    const noKey = await activeContract({ key: false });
    const before = {
      computations: await count('computations'),
      ledger: await count('ledger_entries'),
      contract: await contractRow(contract.id),
    };
    const cases: [HttpClient, Record<string, unknown>, number, string][] = [
      [buyer.client, meanOver(contract.id, 10, { recipe: 'sum' }), 422, 'recipe_not_in_contract'],
      [
        buyer.client,
        meanOver(contract.id, 10, { bindings: { x: 'intersection_id' } }),
        422,
        'column_not_in_contract',
      ],
      [buyer.client, meanOver(contract.id, 10, { bindings: { y: 'vehicle_count' } }), 422, 'bad_bindings'],
      [
        buyer.client,
        meanOver(contract.id, 10, { filters: [{ column: 'vehicle_count', op: 'gt', value: 3 }] }),
        422,
        'bad_filter',
      ],
      [
        buyer.client,
        meanOver(contract.id, 10, { filters: [{ column: 'intersection_id', op: 'in', value: 3 }] }),
        422,
        'bad_filter',
      ],
      [buyer.client, meanOver(contract.id, 4), 422, 'below_min_rows'],
      [buyer.client, meanOver(contract.id, 10, { datasetId: randomUUID() }), 422, 'no_dataset'],
      [noKey.buyer.client, meanOver(noKey.contract.id, 10), 422, 'no_result_key'],
      [stranger.client, meanOver(contract.id, 10), 404, 'not_found'],
      [merchant.client, meanOver(contract.id, 10), 403, 'forbidden'],
    ];
    for (const [client, body, status, code] of cases) {
      const reply = await client.post('/v1/computations', body);
      expect([code, reply.status, reply.body.code]).toEqual([
        code,
        status,
        status === 403 ? reply.body.code : code,
      ]);
    }
    expect(await count('computations')).toBe(before.computations);
    expect(await count('ledger_entries')).toBe(before.ledger);
    expect(await contractRow(contract.id)).toEqual(before.contract);
  });

  it('refuses an exhausted ε budget and an ended period', async () => {
    const spent = await activeContract({ budgetMilli: 500 });
    expect(await spent.buyer.client.post('/v1/computations', meanOver(spent.contract.id, 10))).toMatchObject({
      status: 422,
      body: { code: 'budget_exhausted' },
    });
    const ended = await activeContract();
    await query(t, `update "contracts" set "ends_at" = ? where "id" = ?`, [
      new Date(t.clock.now().getTime() - 1000),
      ended.contract.id,
    ]);
    expect(await ended.buyer.client.post('/v1/computations', meanOver(ended.contract.id, 10))).toMatchObject({
      status: 422,
      body: { code: 'contract_period_ended' },
    });
    expect(
      await count('computations', '"contract_id" in (?, ?)', [spent.contract.id, ended.contract.id]),
    ).toBe(0);
  });

  it('accepts a request: queued, its ledger entry, the job spec with only the bound columns', async () => {
    const { buyer, contract } = await activeContract();
    const reply = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      contractId: contract.id,
      datasetId,
      recipe: 'mean',
      state: 'queued',
      rowsAggregated: 100,
      epsilonSpent: null,
      resultHash: null,
    });
    const [row] = await query<{ job_spec: string | object; row_set: string | object; query_key: string }>(
      t,
      `select "job_spec", "row_set", "query_key" from "computations" where "id" = ?`,
      [reply.body.id],
    );
    const spec = typeof row.job_spec === 'string' ? JSON.parse(row.job_spec) : row.job_spec;
    expect(Object.keys(spec.columns)).toEqual(['vehicle_count']);
    expect(Object.keys(spec.publicColumns)).toEqual(['intersection_id']);
    expect(spec.keys).toEqual([
      { paramSet: 'bfv-8192-t50', relinKeys: sha256Hex('relin'), galoisKeys: sha256Hex('galois') },
    ]);
    expect(await ledgerActions(t, reply.body.id)).toEqual(['computation.requested']);
    // A second request whose rows differ by 1..k-1 from the pending one is a differencing pair.
    expect(await buyer.client.post('/v1/computations', meanOver(contract.id, 11))).toMatchObject({
      status: 422,
      body: { code: 'differencing' },
    });
  });
});

describe('visibility', () => {
  it('shows a computation to its buyer, its merchant and the overseers; others get 404', async () => {
    const { buyer, contract } = await activeContract();
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    for (const client of [buyer.client, merchant.client, operator, regulator])
      expect((await client.get(`/v1/computations/${body.id}`)).status).toBe(200);
    expect((await stranger.client.get(`/v1/computations/${body.id}`)).status).toBe(404);
    expect((await stranger.client.get(`/v1/computations/${body.id}/result`)).status).toBe(404);
    expect((await merchant.client.get(`/v1/computations/${body.id}/result`)).status).toBe(403);
    expect((await buyer.client.get(`/v1/computations/${body.id}/result`)).body.code).toBe('not_released');
    const listed = await stranger.client.get(`/v1/computations?contractId=${contract.id}`);
    expect(listed.body.items).toEqual([]);
    const mine = await buyer.client.get(`/v1/computations?contractId=${contract.id}&state=queued`);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([body.id]);
  });
});

describe('release', () => {
  it('releases in one transaction: state, ε spent, ledger, one metered unit and its money; idempotent', async () => {
    const { buyer, contract, keys } = await activeContract();
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    expect((await merchant.client.get(`/v1/computations/${body.id}/evaluation`)).body.code).toBe(
      'not_evaluated',
    );
    await evaluated(body.id);
    const bundle = await merchant.client.get(`/v1/computations/${body.id}/evaluation`);
    expect(bundle.status).toBe(200);
    expect(bundle.body).toMatchObject({
      rows: ROWS,
      rowSet: [
        [0, 10],
        [20, 30],
        [40, 50],
        [60, 70],
        [80, 90],
        [100, 110],
        [120, 130],
        [140, 150],
        [160, 170],
        [180, 190],
      ].map(([s]) => [s, s + 10]),
      policy: { minRows: 50, epsilonMilli: 1000, budgetMilli: 10_000, spentMilli: 0, history: [] },
      buyerResultKey: { publicKey: toBase64Url(keys.publicKey) },
      contract: { id: contract.id },
    });
    for (const client of [buyer.client, operator, regulator, stranger.client])
      expect((await client.get(`/v1/computations/${body.id}/evaluation`)).status).toBeGreaterThanOrEqual(403);
    const envelope = await envelopeFor(keys, body.id, contract.id);
    const before = await balances(operator);
    const released = await merchant.client.post(`/v1/computations/${body.id}/release`, {
      envelope,
      epsilonSpentMilli: 1000,
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ state: 'released', epsilonSpent: '1.000', meteredUnit: 1 });
    expect(released.body.resultHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 1000, computations_used: 1 });
    expect(await ledgerActions(t, body.id)).toEqual(['computation.requested', 'computation.released']);
    expect(await ledgerActions(t, contract.id)).toContain('contract.metered');
    const after = await balances(operator);
    expect(availableOf(after, 'platform_fee') - availableOf(before, 'platform_fee')).toBe(30n);
    expect(
      availableOf(after, `receivable:${merchant.organisationId}`) -
        availableOf(before, `receivable:${merchant.organisationId}`),
    ).toBe(970n);
    // The same envelope again: 200, nothing more charged or spent.
    const again = await merchant.client.post(`/v1/computations/${body.id}/release`, {
      envelope,
      epsilonSpentMilli: 1000,
    });
    expect([again.status, again.body.resultHash]).toEqual([200, released.body.resultHash]);
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 1000, computations_used: 1 });
    // Another envelope: 409.
    const other = await envelopeFor(keys, body.id, contract.id, 'another result');
    expect(
      await merchant.client.post(`/v1/computations/${body.id}/release`, {
        envelope: other,
        epsilonSpentMilli: 1000,
      }),
    ).toMatchObject({ status: 409, body: { code: 'already_released' } });
    expect(await balances(operator)).toEqual(after);
    // The buyer reads the sealed result; the same computation again is answered with this one.
    const result = await buyer.client.get(`/v1/computations/${body.id}/result`);
    expect(result.body).toMatchObject({
      computationId: body.id,
      resultHash: released.body.resultHash,
      envelope,
    });
    const repeat = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    expect([repeat.status, repeat.body.id]).toEqual([200, body.id]);
    expect(await count('computations', '"contract_id" = ?', [contract.id])).toBe(1);
    await expectSound(operator);
  });

  it('releases under a subscription without metering: ε spent, no unit, no money moved', async () => {
    const { buyer, contract, keys } = await activeContract({ subscription: true });
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    expect(body.state).toBe('queued');
    await evaluated(body.id);
    const before = await balances(operator);
    const released = await merchant.client.post(`/v1/computations/${body.id}/release`, {
      envelope: await envelopeFor(keys, body.id, contract.id),
      epsilonSpentMilli: 700,
    });
    expect(released.body).toMatchObject({ state: 'released', epsilonSpent: '0.700', meteredUnit: null });
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 700, computations_used: 0 });
    expect(await balances(operator)).toEqual(before);
    expect(await ledgerActions(t, contract.id)).not.toContain('contract.metered');
  });

  it('counts released computations against the units bought, paid or free (a free contract meters no money)', async () => {
    for (const free of [false, true]) {
      const { buyer, contract, keys } = await activeContract({ computations: 2, free });
      for (const below of [10, 30]) {
        const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, below));
        expect(body.state).toBe('queued');
        await evaluated(body.id);
        const released = await merchant.client.post(`/v1/computations/${body.id}/release`, {
          envelope: await envelopeFor(keys, body.id, contract.id),
          epsilonSpentMilli: 1000,
        });
        expect(released.body.state).toBe('released');
      }
      // A paid contract completes with its last metered unit; a free one meters nothing and is refused by count.
      const third = await buyer.client.post('/v1/computations', meanOver(contract.id, 50));
      expect([third.status, third.body.code]).toEqual([
        422,
        free ? 'no_computations_left' : 'contract_not_active',
      ]);
      if (free) expect(third.body.message).toMatch(/2 released, 0 pending/);
    }
  });

  it('refuses an envelope for another computation and an ε outside the release', async () => {
    const { buyer, contract, keys } = await activeContract();
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    await evaluated(body.id);
    const wrong = await envelopeFor(keys, randomUUID(), contract.id);
    expect(
      await merchant.client.post(`/v1/computations/${body.id}/release`, {
        envelope: wrong,
        epsilonSpentMilli: 1000,
      }),
    ).toMatchObject({ status: 400, body: { code: 'wrong_binding' } });
    const right = await envelopeFor(keys, body.id, contract.id);
    expect(
      await merchant.client.post(`/v1/computations/${body.id}/release`, {
        envelope: right,
        epsilonSpentMilli: 1001,
      }),
    ).toMatchObject({ status: 400, body: { code: 'invalid_epsilon' } });
    expect(
      (
        await stranger.client.post(`/v1/computations/${body.id}/release`, {
          envelope: right,
          epsilonSpentMilli: 1000,
        })
      ).status,
    ).toBe(403);
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 0, computations_used: 0 });
  });

  it('refuses at the agent: refused with its code, nothing spent', async () => {
    const { buyer, contract } = await activeContract();
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    await evaluated(body.id);
    expect(
      await merchant.client.post(`/v1/computations/${body.id}/refuse`, { code: 'no_such_code', reason: 'x' }),
    ).toMatchObject({ status: 400 });
    const refused = await merchant.client.post(`/v1/computations/${body.id}/refuse`, {
      code: 'agent_refused',
      reason: 'the data holder declined',
    });
    expect(refused.body).toMatchObject({ state: 'refused', reasonCode: 'agent_refused' });
    expect(await ledgerActions(t, body.id)).toEqual(['computation.requested', 'computation.refused']);
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 0, computations_used: 0 });
  });

  it('never overspends the ε budget under parallel releases (raced on PostgreSQL; SQLite serialises)', async () => {
    const { buyer, contract, keys } = await activeContract({ budgetMilli: 3000 });
    const ids: string[] = [];
    for (const below of [5, 10, 15]) {
      const reply = await buyer.client.post('/v1/computations', meanOver(contract.id, below));
      expect(reply.status).toBe(201);
      ids.push(reply.body.id);
      await evaluated(reply.body.id);
    }
    await query(t, `update "contracts" set "epsilon_budget_milli" = 2500 where "id" = ?`, [contract.id]);
    const replies = await Promise.all(
      ids.map(async (id) =>
        merchant.client.post(`/v1/computations/${id}/release`, {
          envelope: await envelopeFor(keys, id, contract.id),
          epsilonSpentMilli: 1000,
        }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 422]);
    expect(replies.find((r) => r.status === 422)!.body.code).toBe('budget_exhausted');
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 2000, computations_used: 2 });
    await expectSound(operator);
  });
});

describe('races', () => {
  it('of parallel submissions forming a differencing pair, exactly one is queued', async () => {
    const { buyer, contract } = await activeContract();
    const replies = await Promise.all(
      [10, 11, 12].map((below) => buyer.client.post('/v1/computations', meanOver(contract.id, below))),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    expect(replies.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual([
      'differencing',
      'differencing',
    ]);
    expect(await count('computations', '"contract_id" = ?', [contract.id])).toBe(1);
  });

  it('of identical parallel releases, one charges and each answers the released computation', async () => {
    const { buyer, contract, keys } = await activeContract();
    const { body } = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
    await evaluated(body.id);
    const envelope = await envelopeFor(keys, body.id, contract.id);
    const replies = await Promise.all(
      [1, 2, 3].map(() =>
        merchant.client.post(`/v1/computations/${body.id}/release`, { envelope, epsilonSpentMilli: 1000 }),
      ),
    );
    expect(replies.map((r) => [r.status, r.body.state])).toEqual([
      [200, 'released'],
      [200, 'released'],
      [200, 'released'],
    ]);
    expect(await contractRow(contract.id)).toEqual({ epsilon_spent_milli: 1000, computations_used: 1 });
    expect((await ledgerActions(t, contract.id)).filter((a) => a === 'contract.metered')).toHaveLength(1);
    await expectSound(operator);
  });
});

describe('the re-enqueue sweep', () => {
  it('enqueues again a computation whose enqueue failed after its commit', async () => {
    const queue = t.app.get(JobQueue);
    const calls: [string, unknown, string][] = [];
    const original = queue.enqueue;
    let redisDown = true;
    // The queue as the API holds it, with Redis down at first (every enqueue rejects), then back.
    queue.enqueue = async (name, payload, jobId) => {
      calls.push([name, payload, jobId]);
      if (redisDown) throw new Error('redis is down');
    };
    try {
      const { buyer, contract } = await activeContract();
      const reply = await buyer.client.post('/v1/computations', meanOver(contract.id, 10));
      expect([reply.status, reply.body.state]).toEqual([201, 'queued']);
      const service = t.app.get(ComputationService);
      const job = [
        'computation.evaluate',
        { computationId: reply.body.id },
        jobIdFor('computation.evaluate', reply.body.id),
      ];
      expect(calls).toEqual([job]);
      calls.length = 0;
      redisDown = false;
      expect(await service.requeueStale()).toEqual({ requeued: 0, failed: 0 });
      t.clock.advance(61_000);
      const report = await service.requeueStale();
      expect(report.failed).toBe(0);
      expect(calls).toContainEqual(job);
    } finally {
      queue.enqueue = original;
    }
  });
});

describe('request size', () => {
  it('takes a body past the global 1 MiB on the submit route, and answers 413 beyond its 32 MiB', async () => {
    const { buyer, contract } = await activeContract();
    // 10^5 weights: several MiB of JSON, past BODY_LIMIT_BYTES (1 MiB) but within the route's own limit.
    const weights = Array.from({ length: 100_000 }, (_, i) => (i % 1000) / 7);
    expect(JSON.stringify(weights).length).toBeGreaterThan(1024 * 1024);
    const big = await buyer.client.post('/v1/computations', {
      contractId: contract.id,
      recipe: 'dot-product',
      bindings: { x: 'vehicle_count' },
      params: { weights },
    });
    // Past the body limit and the validation: refused by the pre-checks (the contract allows mean only).
    expect([big.status, big.body.code]).toEqual([422, 'recipe_not_in_contract']);
    const tooBig = await buyer.client.post('/v1/computations', {
      contractId: contract.id,
      recipe: 'dot-product',
      bindings: { x: 'vehicle_count' },
      params: { weights: 'x'.repeat(33 * 1024 * 1024) },
    });
    expect(tooBig.status).toBe(413);
    expect(await count('computations', '"contract_id" = ?', [contract.id])).toBe(0);
  });
});

describe('ε settings', () => {
  it('listings take their ε budget and per-release ε, show those in effect, and contracts show budget and spend', async () => {
    const asset = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const set = await merchant.client.post(
      '/v1/listings',
      listingBody([asset.id], { epsilonBudget: '2.5', epsilonPerRelease: '0.5' }),
    );
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({
      epsilonBudget: '2.500',
      epsilonPerRelease: '0.500',
      epsilonSetByListing: true,
    });
    const byDefault = await merchant.client.get(`/v1/listings/${listingId}`);
    expect(byDefault.body).toMatchObject({
      epsilonBudget: '10.000',
      epsilonPerRelease: '1.000',
      epsilonSetByListing: false,
    });
    for (const body of [
      listingBody([asset.id], { epsilonBudget: '1', epsilonPerRelease: '2' }),
      listingBody([asset.id], { epsilonBudget: '0.0001' }),
      listingBody([asset.id], { epsilonBudget: 5 }),
      listingBody([asset.id], {
        delivery: 'file',
        recipes: [],
        minRows: undefined,
        billingUnits: ['one-off'],
        epsilonBudget: '1',
      }),
    ])
      expect((await merchant.client.post('/v1/listings', body)).status).toBe(400);
    const { buyer, contract } = await activeContract();
    const shown = await buyer.client.get(`/v1/contracts/${contract.id}`);
    expect(shown.body).toMatchObject({ epsilonBudget: '10.000', epsilonSpent: '0.000' });
  });
});

describe('the recipe catalogue', () => {
  it('is public and lists every recipe a listing may offer, with the roles a computation binds', async () => {
    const shown = await new HttpClient(t.baseUrl).get('/v1/recipes');
    expect(shown.status).toBe(200);
    const recipes = shown.body.recipes as {
      id: string;
      inputs: { role: string; many: boolean; bucketed: boolean }[];
    }[];
    expect(recipes.map((r) => r.id)).toEqual(recipeNames());
    for (const r of recipes) expect(r.inputs.length).toBeGreaterThan(0);
    const roles = (id: string) => recipes.find((r) => r.id === id)!.inputs;
    expect(roles('linear-regression')).toEqual([
      expect.objectContaining({ role: 'features', many: true }),
      expect.objectContaining({ role: 'y', many: false }),
    ]);
    expect(roles('histogram')).toEqual([expect.objectContaining({ role: 'x', bucketed: true })]);

    // What it says a recipe binds is what a submission must bind: the mean's one role, by its listed name.
    const { buyer, contract } = await activeContract();
    const [input] = roles('mean');
    const wrong = await buyer.client.post('/v1/computations', {
      contractId: contract.id,
      recipe: 'mean',
      bindings: { [`not-${input.role}`]: 'vehicle_count' },
    });
    expect([wrong.status, wrong.body.code]).toEqual([422, 'bad_bindings']);
    const right = await buyer.client.post('/v1/computations', {
      contractId: contract.id,
      recipe: 'mean',
      bindings: { [input.role]: 'vehicle_count' },
    });
    expect(right.status).toBe(201);
  });
});
