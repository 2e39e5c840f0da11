import { randomUUID } from 'node:crypto';
import { ContractDeliveryService, type Contract } from '@app/trading';
import type { HttpClient } from './support/http-client.js';
import {
  balances,
  deposit,
  expectSound,
  fund,
  holdsOf,
  query,
  someListing,
} from './support/money-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * Purchases under parallel requests, on SQLite and (with DATABASE_URL) PostgreSQL, where transactions really
 * overlap: 200 fundings against buyers who can afford only some, 200 duplicate retries under shared keys, and a
 * confirmation racing a dispute for one escrow. The contract's conditional update and the settlement's guards are
 * the database's, so no count here depends on timing.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let merchant: Party;
let listingId: string;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  listingId = await someListing(merchant.client, merchant.organisationId, operator);
});
afterAll(() => t.close());

const PRICE = 100n;

const tally = (items: string[]): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

async function signedContracts(buyer: Party, n: number): Promise<Contract[]> {
  const out: Contract[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      await insertContract(t, {
        listingId,
        buyerOrganisationId: buyer.organisationId,
        merchantOrganisationId: merchant.organisationId,
        terms: computeTerms({ billingUnit: 'one-off', priceFen: PRICE, computations: null }),
        state: 'signed',
      }),
    );
  return out;
}

const stateOf = async (id: string) =>
  (
    await query<{ state: string; escrow: string; funded_at: unknown }>(
      t,
      `select "state", "escrow", "funded_at" from "contracts" where "id" = ?`,
      [id],
    )
  )[0];

/** Each contract's outcome: funded exactly once (active, held, one pending hold) or untouched (signed, no hold). */
async function expectFundedOnceOrUntouched(contracts: Contract[], accepted: Set<string>): Promise<void> {
  for (const c of contracts) {
    const row = await stateOf(c.id);
    const holds = await holdsOf(t, c.id);
    if (accepted.has(c.id)) {
      expect([c.id, row.state, row.escrow, holds.length]).toEqual([c.id, 'active', 'held', 1]);
    } else {
      expect([c.id, row.state, row.escrow, row.funded_at, holds.length]).toEqual([
        c.id,
        'signed',
        'unfunded',
        null,
        0,
      ]);
    }
  }
}

const escrowTransfers = async (buyer: Party): Promise<number> =>
  Number(
    (
      await query<{ n: number | string }>(
        t,
        `select count(*) as "n" from "settlement_transfers" where "credit_account_id" = ?`,
        [`escrow:${buyer.organisationId}`],
      )
    )[0].n,
  );

describe('200 concurrent purchases against buyers who can afford only some', () => {
  it('funds exactly the affordable contracts once each, leaves the rest signed, never overdraws', async () => {
    const buyers = await Promise.all([0, 1, 2, 3].map(() => world.party(['buyer'], operator)));
    // Each buyer can afford 25 contracts of 100 fen and tries 50.
    for (const b of buyers) expect((await deposit(operator, b.organisationId, '2500')).status).toBe(201);
    const contracts = new Map<string, Contract[]>();
    for (const b of buyers) contracts.set(b.organisationId, await signedContracts(b, 50));
    const attempts = buyers.flatMap((b) => contracts.get(b.organisationId)!.map((c) => ({ b, c })));
    const replies = await Promise.all(attempts.map(({ b, c }) => fund(b.client, c.id, randomUUID())));
    const codes = replies.map((r) => (r.status === 200 ? 'ok' : `${r.status} ${r.body.code}`));
    expect(tally(codes)).toEqual({ ok: 100, '422 insufficient_funds': 100 });
    const accepted = new Set(attempts.filter((_, i) => replies[i].status === 200).map(({ c }) => c.id));
    for (const b of buyers) {
      const own = (await balances(operator)).get(`available:${b.organisationId}`);
      expect(own).toEqual({ available: 0n, pending: 2500n });
      expect(await escrowTransfers(b)).toBe(25);
      await expectFundedOnceOrUntouched(contracts.get(b.organisationId)!, accepted);
    }
    await expectSound(operator);
  });
});

describe('200 concurrent duplicate retries', () => {
  it('funds each accepted contract once under its key, answers every retry with the first result, refuses the rest alike', async () => {
    const buyers = await Promise.all([0, 1].map(() => world.party(['buyer'], operator)));
    // Each buyer can afford 10 of its 25 contracts; each contract is funded 4 times at once under one key.
    for (const b of buyers) expect((await deposit(operator, b.organisationId, '1000')).status).toBe(201);
    const all: { b: Party; c: Contract; key: string }[] = [];
    for (const b of buyers)
      for (const c of await signedContracts(b, 25)) all.push({ b, c, key: randomUUID() });
    const attempts = all.flatMap((x) => [x, x, x, x]);
    const replies = await Promise.all(attempts.map(({ b, c, key }) => fund(b.client, c.id, key)));
    const byContract = new Map<
      string,
      { status: number; replayed: boolean; code?: string; fundedAt?: string }[]
    >();
    attempts.forEach(({ c }, i) => {
      const r = replies[i];
      const list = byContract.get(c.id) ?? [];
      list.push({
        status: r.status,
        replayed: r.headers.get('idempotent-replayed') === 'true',
        code: r.body.code as string | undefined,
        fundedAt: r.body.fundedAt as string | undefined,
      });
      byContract.set(c.id, list);
    });
    const accepted = new Set<string>();
    for (const [id, outcomes] of byContract) {
      const statuses = [...new Set(outcomes.map((o) => o.status))];
      // The four retries of one key agree: all funded (one first, three replays of it), or all refused.
      expect([id, statuses.length]).toEqual([id, 1]);
      if (statuses[0] === 200) {
        accepted.add(id);
        expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
        expect(new Set(outcomes.map((o) => o.fundedAt)).size).toBe(1);
      } else {
        expect(outcomes.map((o) => `${o.status} ${o.code}`)).toEqual(Array(4).fill('422 insufficient_funds'));
      }
    }
    expect(accepted.size).toBe(20);
    for (const b of buyers) {
      expect((await balances(operator)).get(`available:${b.organisationId}`)).toEqual({
        available: 0n,
        pending: 1000n,
      });
      expect(await escrowTransfers(b)).toBe(10);
      await expectFundedOnceOrUntouched(
        all.filter((x) => x.b === b).map((x) => x.c),
        accepted,
      );
    }
    await expectSound(operator);
  });
});

describe('a confirmation racing a dispute for one escrow', () => {
  it('lets exactly one of them take effect, on each of 10 contracts', async () => {
    const buyer = await world.party(['buyer'], operator);
    await deposit(operator, buyer.organisationId, '1000');
    const contracts = await signedContracts(buyer, 10);
    for (const c of contracts) expect((await fund(buyer.client, c.id, randomUUID())).status).toBe(200);
    const results = await Promise.all(
      contracts.map(async (c) => {
        const [confirmed, disputed] = await Promise.all([
          buyer.client.post(`/v1/contracts/${c.id}/confirm-delivery`),
          merchant.client.post(`/v1/contracts/${c.id}/disputes`, {
            statement: '买方未按约使用',
            evidenceHashes: [],
          }),
        ]);
        return { c, confirmed: confirmed.status, disputed: disputed.status };
      }),
    );
    let confirmations = 0;
    for (const { c, confirmed, disputed } of results) {
      expect([confirmed, disputed].sort()).toEqual(confirmed === 200 ? [200, 409] : [201, 409]);
      const row = await stateOf(c.id);
      const disputes = await query<{ id: string }>(t, `select "id" from "disputes" where "contract_id" = ?`, [
        c.id,
      ]);
      const [hold] = await holdsOf(t, c.id);
      if (confirmed === 200) {
        confirmations++;
        expect([row.state, row.escrow, disputes.length, hold.state]).toEqual([
          'ended',
          'released',
          0,
          'released',
        ]);
      } else {
        expect([row.state, row.escrow, disputes.length, hold.state]).toEqual([
          'disputed',
          'held',
          1,
          'pending',
        ]);
      }
    }
    const escrow = (await balances(operator)).get(`escrow:${buyer.organisationId}`);
    expect(escrow?.pending).toBe(BigInt(10 - confirmations) * PRICE);
    await expectSound(operator);
  });
});

describe('parallel metering of one per-computation contract', () => {
  it('pays each unit once, replays duplicate release ids, and refuses results beyond the units bought', async () => {
    const buyer = await world.party(['buyer'], operator);
    await deposit(operator, buyer.organisationId, '500');
    const c = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      terms: computeTerms({ priceFen: PRICE, computations: 5 }),
      state: 'signed',
    });
    expect((await fund(buyer.client, c.id, randomUUID())).status).toBe(200);
    const delivery = t.app.get(ContractDeliveryService);
    const releaseIds = Array.from({ length: 10 }, (_, i) => `result-${i}`);
    const outcomes = await Promise.all(
      [...releaseIds, ...releaseIds].map((r) =>
        delivery.meter(c.id, r).then(
          (m) => ({ r, unit: m.unit, replayed: m.replayed }),
          (e: { code: string }) => ({ r, code: e.code }),
        ),
      ),
    );
    const paid = outcomes.filter((o) => 'unit' in o) as { r: string; unit: number; replayed: boolean }[];
    const byRelease = new Map<string, number[]>();
    for (const o of paid) byRelease.set(o.r, [...(byRelease.get(o.r) ?? []), o.unit]);
    // Five release ids were paid, each for one unit (both its calls answer the same unit), units 1 to 5 once each.
    expect(byRelease.size).toBe(5);
    for (const units of byRelease.values()) expect(new Set(units).size).toBe(1);
    expect([...byRelease.values()].map((u) => u[0]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(paid.filter((o) => !o.replayed)).toHaveLength(5);
    for (const o of outcomes.filter((o) => 'code' in o)) {
      expect((o as { code: string }).code).toBe('contract_not_meterable');
      expect(byRelease.has(o.r)).toBe(false);
    }
    expect(await stateOf(c.id)).toMatchObject({ state: 'ended', escrow: 'released' });
    expect((await holdsOf(t, c.id)).map((h) => h.state)).toEqual(Array(5).fill('released'));
    expect((await balances(operator)).get(`escrow:${buyer.organisationId}`)).toEqual({
      available: 0n,
      pending: 0n,
    });
    await expectSound(operator);
  });
});
