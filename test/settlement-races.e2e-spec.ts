import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { SettlementService, type RevenueSplit } from '@app/settlement';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

/**
 * Money under parallel requests, on SQLite and (with DATABASE_URL) PostgreSQL, where transactions really overlap:
 * holds against buyers who can afford only some of them, duplicate retries under one key, and competing
 * resolutions of one hold. The guards are the database's, so no count here depends on timing.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let settlement: SettlementService;
const actor = { accountId: null, organisationId: null };

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  settlement = t.app.get(SettlementService);
});
afterAll(() => t.close());

const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
  t.app.get(MikroORM).em.getConnection().execute(sql, params);

const transfersOf = async (accountId: string): Promise<number> =>
  Number(
    (
      await query<{ n: number | string }>(
        `select count(*) as "n" from "settlement_transfers" where "credit_account_id" = ? or "debit_account_id" = ?`,
        [accountId, accountId],
      )
    )[0].n,
  );

const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: Error & { code?: string }) => e.code ?? e.message,
  );

const tally = (items: string[]): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

const deposit = (organisationId: string, amountFen: string, key = randomUUID()) =>
  operator.request(
    'POST',
    '/v1/settlement/deposits',
    { organisationId, amountFen },
    { 'idempotency-key': key },
  );

async function expectSound(): Promise<void> {
  const trial = (await operator.get('/v1/settlement/trial-balance')).body;
  expect(trial).toMatchObject({ balanced: true, reconciled: true });
  const overdrawn = trial.accounts.filter(
    (a: { accountId: string; availableFen: string }) =>
      a.accountId !== 'external' && BigInt(a.availableFen) < 0n,
  );
  expect(overdrawn).toEqual([]);
}

describe('200 concurrent purchases against buyers who can afford only some', () => {
  it('accepts exactly the affordable holds, never overdraws, and the trial balance holds', async () => {
    const buyers = await Promise.all([0, 1, 2, 3].map(() => world.party(['buyer'], operator)));
    // Each buyer can afford 25 holds of 100 fen, and 50 are tried against each.
    for (const b of buyers) expect((await deposit(b.organisationId, '2500')).status).toBe(201);
    const attempts = Array.from({ length: 200 }, (_, i) => buyers[i % 4].organisationId);
    const results = await Promise.all(
      attempts.map((payer) => outcome(settlement.hold(randomUUID(), randomUUID(), payer, 100n, actor))),
    );
    expect(tally(results)).toEqual({ ok: 100, insufficient_funds: 100 });
    for (const b of buyers) {
      const [own] = (await b.client.get('/v1/settlement/balances')).body.accounts;
      expect(own).toMatchObject({ availableFen: '0', debitsPendingFen: '2500' });
    }
    await expectSound();
  });

  it('settles every accepted purchase exactly once when post, void and release race for each', async () => {
    const payer = await world.party(['buyer'], operator);
    await deposit(payer.organisationId, '4000');
    const holds = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(
      holds.map((id) => settlement.hold(randomUUID(), id, payer.organisationId, 100n, actor)),
    );
    const split: RevenueSplit = {
      platformFeeBasisPoints: 500,
      publicResourceFeeBasisPoints: 0,
      shares: [{ organisationId: randomUUID(), basisPoints: 10_000 }],
    };
    const results = await Promise.all(
      holds.map(async (id) => {
        const [post, cancel] = await Promise.all([
          outcome(settlement.post(randomUUID(), id, undefined, actor)),
          outcome(settlement.void(randomUUID(), id, actor)),
        ]);
        const releases = await Promise.all(
          [0, 1, 2].map(() => outcome(settlement.release(randomUUID(), id, split, actor))),
        );
        return { post, cancel, releases };
      }),
    );
    for (const r of results) {
      expect([r.post, r.cancel].sort()).toEqual(['hold_resolved', 'ok']);
      expect(tally(r.releases)).toEqual(r.post === 'ok' ? { ok: 1, hold_resolved: 2 } : { hold_resolved: 3 });
    }
    const posted = results.filter((r) => r.post === 'ok').length;
    const [own] = (await payer.client.get('/v1/settlement/balances')).body.accounts;
    expect(own).toMatchObject({ availableFen: String(4000 - posted * 100), debitsPendingFen: '0' });
    const resolutions = await query<{ n: number | string }>(
      `select count(*) as "n" from "settlement_transfers" where "pending_id" in
        (select "pending_transfer_id" from "settlement_holds" where "payer_organisation_id" = ?)`,
      [payer.organisationId],
    );
    expect(Number(resolutions[0].n)).toBe(40);
    await expectSound();
  });
});

describe('200 concurrent duplicate retries', () => {
  it('moves money once for one Idempotency-Key over HTTP, and answers every retry with the first result', async () => {
    const party = await world.party(['buyer'], operator);
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => deposit(party.organisationId, '700', key)),
    );
    expect(tally(replies.map((r) => String(r.status)))).toEqual({ '201': 200 });
    expect(replies.filter((r) => r.body.replayed === false)).toHaveLength(1);
    const operationIds = new Set(replies.map((r) => r.body.operationId as string));
    expect(operationIds.size).toBe(1);
    expect(await transfersOf(`available:${party.organisationId}`)).toBe(1);
    const [own] = (await party.client.get('/v1/settlement/balances')).body.accounts;
    expect(own.availableFen).toBe('700');
    await expectSound();
  });

  it('creates one hold for 200 parallel retries of one funding, and refuses the key with another amount', async () => {
    const payer = await world.party(['buyer'], operator);
    await deposit(payer.organisationId, '1000');
    const key = `contract-${randomUUID()}-fund`;
    const holdId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        settlement.hold(key, holdId, payer.organisationId, i % 50 === 49 ? 999n : 600n, actor).then(
          (e) => `${e.replayed ? 'replayed' : 'first'}:${e.result.operationId}`,
          (e: { code: string }) => e.code,
        ),
      ),
    );
    const counts = tally(results.map((r) => r.split(':')[0]));
    // The 4 requests with another amount are refused, whichever of the 200 came first... unless one of them came
    // first, in which case it is the 196 others that are refused. Either way exactly one hold exists.
    const first = results.filter((r) => r.startsWith('first:'));
    expect(first).toHaveLength(1);
    expect(new Set(results.filter((r) => r.includes(':')).map((r) => r.split(':')[1])).size).toBe(1);
    expect(counts.idempotency_key_reused).toBeGreaterThan(0);
    expect(counts.first + counts.replayed + counts.idempotency_key_reused).toBe(200);
    expect(await transfersOf(`escrow:${payer.organisationId}`)).toBe(1);
    await expectSound();
  });
});
