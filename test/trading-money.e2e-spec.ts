import { randomUUID } from 'node:crypto';
import { ContractDeliveryService, type Contract } from '@app/trading';
import type { HttpClient, Reply } from './support/http-client.js';
import {
  availableOf,
  balances,
  deposit,
  expectSound,
  fund,
  holdsOf,
  ledgerActions,
  query,
  someListing,
} from './support/money-fixtures.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * A contract's money over HTTP, on SQLite and (with DATABASE_URL) PostgreSQL: funding into escrow with its
 * Idempotency-Key, refusals that change nothing, release on confirmation with fees and a three-way split exact to
 * the fen, the delivery timeout and the period's end on the test clock, metering, and disputes with each outcome.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let holderB: Party;
let holderC: Party;
let stranger: Party;
let listingId: string;
let delivery: ContractDeliveryService;
let openApi: OpenApiDocument;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  holderB = await world.party(['merchant'], operator);
  holderC = await world.party(['merchant'], operator);
  stranger = await world.party(['buyer', 'merchant'], operator);
  listingId = await someListing(merchant.client, merchant.organisationId, operator);
  delivery = t.app.get(ContractDeliveryService);
  openApi = (await world.anonymous.get('/openapi.json')).body;
});
afterAll(() => t.close());

/**
 * Moves the test clock, then signs everyone in again: sessions (and in time the operator's token) expire on the
 * clock the API reads.
 */
async function advance(ms: number, ...buyers: Party[]): Promise<void> {
  t.clock.advance(ms);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  for (const party of [merchant, holderB, holderC, stranger, ...buyers])
    party.client = await world.login(party.username);
}

/** Every 2xx answer has exactly its documented shape. */
function conforms(reply: Reply, method: string, template: string): Reply {
  if (reply.status >= 200 && reply.status < 300)
    expect(
      schemaProblems(openApi, responseSchema(openApi, method, template, reply.status), reply.body),
    ).toEqual([]);
  return reply;
}

const THREE_WAY = () => [
  { organisationId: merchant.organisationId, basisPoints: 5000 },
  { organisationId: holderB.organisationId, basisPoints: 3000 },
  { organisationId: holderC.organisationId, basisPoints: 2000 },
];

/** A buyer with `fen` deposited. */
async function buyerWith(fen: string): Promise<Party> {
  const buyer = await world.party(['buyer'], operator);
  if (fen !== '0') expect((await deposit(operator, buyer.organisationId, fen)).status).toBe(201);
  return buyer;
}

async function signed(
  buyer: Party,
  terms = computeTerms({ billingUnit: 'one-off', priceFen: 100_000n, computations: null }),
  extra: Partial<Parameters<typeof insertContract>[1]> = {},
): Promise<Contract> {
  return insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms,
    state: 'signed',
    ...extra,
  });
}

const fundOk = async (buyer: Party, id: string, key = randomUUID()) => {
  const reply = conforms(await fund(buyer.client, id, key), 'POST', '/v1/contracts/{id}/fund');
  expect([reply.status, reply.body.code]).toEqual([200, undefined]);
  return reply;
};

const contract = async (id: string) =>
  (await query<Record<string, unknown>>(t, `select * from "contracts" where "id" = ?`, [id]))[0];

const confirm = async (client: HttpClient, id: string) =>
  conforms(
    await client.post(`/v1/contracts/${id}/confirm-delivery`),
    'POST',
    '/v1/contracts/{id}/confirm-delivery',
  );

const openDispute = async (client: HttpClient, id: string, body?: unknown) =>
  conforms(
    await client.post(
      `/v1/contracts/${id}/disputes`,
      body ?? { statement: '交付数据缺少三月份记录', evidenceHashes: [`0x${'ab'.repeat(32)}`] },
    ),
    'POST',
    '/v1/contracts/{id}/disputes',
  );

const decide = async (id: string, body: unknown, client = operator) =>
  conforms(await client.post(`/v1/disputes/${id}/decision`, body), 'POST', '/v1/disputes/{id}/decision');

const transferCount = async (accountId: string): Promise<number> =>
  Number(
    (
      await query<{ n: number | string }>(
        t,
        `select count(*) as "n" from "settlement_transfers" where "debit_account_id" = ? or "credit_account_id" = ?`,
        [accountId, accountId],
      )
    )[0].n,
  );

describe('funding', () => {
  it('moves a signed contract to active with its escrow held, once for one Idempotency-Key', async () => {
    const buyer = await buyerWith('150000');
    const c = await signed(buyer);
    const key = randomUUID();
    const first = await fundOk(buyer, c.id, key);
    const now = t.clock.now().getTime();
    expect(first.body).toMatchObject({ id: c.id, state: 'active', escrow: 'held', amountFen: '100000' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(Date.parse(first.body.endsAt) - Date.parse(first.body.fundedAt)).toBe(30 * DAY);
    expect(Date.parse(first.body.deliveryDueAt) - Date.parse(first.body.fundedAt)).toBe(7 * DAY);
    expect(Math.abs(Date.parse(first.body.fundedAt) - now)).toBeLessThan(1000);
    const after = await balances(operator);
    expect(after.get(`available:${buyer.organisationId}`)).toEqual({ available: 50_000n, pending: 100_000n });
    expect(await holdsOf(t, c.id)).toEqual([{ id: c.id, state: 'pending' }]);

    const retry = await fund(buyer.client, c.id, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await transferCount(`escrow:${buyer.organisationId}`)).toBe(1);
    expect((await balances(operator)).get(`available:${buyer.organisationId}`)).toEqual(
      after.get(`available:${buyer.organisationId}`),
    );
    expect(await ledgerActions(t, c.id)).toEqual([
      'negotiation.finalized',
      'contract.funded',
      'settlement.held',
    ]);
    const negotiation = await query<{ state: string }>(
      t,
      `select "state" from "negotiations" where "id" = ?`,
      [c.negotiationId],
    );
    expect(negotiation[0].state).toBe('finalized');
    await expectSound(operator);
  });

  it('refuses the same key for another contract (another amount) with 422, and that contract stays signed', async () => {
    const buyer = await buyerWith('500000');
    const a = await signed(buyer);
    const b = await signed(
      buyer,
      computeTerms({ billingUnit: 'one-off', priceFen: 70_000n, computations: null }),
    );
    const key = randomUUID();
    await fundOk(buyer, a.id, key);
    const before = await balances(operator);
    const reused = await fund(buyer.client, b.id, key);
    expect(reused).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
    expect(await contract(b.id)).toMatchObject({ state: 'signed', escrow: 'unfunded', funded_at: null });
    expect(await holdsOf(t, b.id)).toEqual([]);
    expect(await balances(operator)).toEqual(before);
    // A new key funds it.
    await fundOk(buyer, b.id);
  });

  it('refuses a buyer short of funds with 422 insufficient_funds and changes nothing; the key may be used after a deposit', async () => {
    const buyer = await buyerWith('99999');
    const c = await signed(buyer);
    const before = await balances(operator);
    const key = randomUUID();
    const refused = await fund(buyer.client, c.id, key);
    expect(refused).toMatchObject({ status: 422, body: { code: 'insufficient_funds' } });
    expect(await contract(c.id)).toMatchObject({ state: 'signed', escrow: 'unfunded', funded_at: null });
    expect(await holdsOf(t, c.id)).toEqual([]);
    expect(await balances(operator)).toEqual(before);
    expect(await ledgerActions(t, c.id)).toEqual([]);
    await deposit(operator, buyer.organisationId, '1');
    expect((await fundOk(buyer, c.id, key)).body.state).toBe('active');
    expect(availableOf(await balances(operator), `available:${buyer.organisationId}`)).toBe(0n);
  });

  it('refuses an unsigned contract, an active one, a wrong amount, a missing key, the merchant and strangers', async () => {
    const buyer = await buyerWith('500000');
    const unsigned = await signed(buyer, undefined, { state: 'awaiting_signatures' });
    expect(await fund(buyer.client, unsigned.id, randomUUID())).toMatchObject({
      status: 409,
      body: { code: 'contract_not_signed' },
    });
    const c = await signed(buyer);
    expect(await fund(buyer.client, c.id, randomUUID(), { amountFen: '99999' })).toMatchObject({
      status: 422,
      body: { code: 'amount_mismatch' },
    });
    expect(await fund(buyer.client, c.id, undefined)).toMatchObject({
      status: 400,
      body: { code: 'idempotency_key_required' },
    });
    expect((await fund(merchant.client, c.id, randomUUID())).status).toBe(403);
    expect((await fund(stranger.client, c.id, randomUUID())).status).toBe(404);
    expect(await contract(c.id)).toMatchObject({ state: 'signed' });
    await fundOk(buyer, c.id, randomUUID());
    expect(await fund(buyer.client, c.id, randomUUID(), { amountFen: '100000' })).toMatchObject({
      status: 409,
      body: { code: 'contract_not_signed' },
    });
    expect(await transferCount(`escrow:${buyer.organisationId}`)).toBe(1);
  });

  it('funds a per-computation contract as one hold per computation', async () => {
    const buyer = await buyerWith('10000');
    const c = await signed(buyer, computeTerms({ priceFen: 1500n, computations: 4 }));
    const funded = await fundOk(buyer, c.id);
    expect(funded.body).toMatchObject({ amountFen: '6000', deliveryDueAt: null });
    expect(await holdsOf(t, c.id)).toEqual(
      [1, 2, 3, 4].map((n) => ({ id: `${c.id}.u${n}`, state: 'pending' })),
    );
    expect((await balances(operator)).get(`available:${buyer.organisationId}`)).toEqual({
      available: 4000n,
      pending: 6000n,
    });
  });
});

describe('release on delivery', () => {
  it('pays fees and a three-way split exact to the fen, ends a one-off contract, and refuses a second resolution', async () => {
    const buyer = await buyerWith('90001');
    const c = await signed(
      buyer,
      computeTerms({ billingUnit: 'one-off', priceFen: 90_001n, computations: null }),
      { shares: THREE_WAY(), platformFeeBasisPoints: 300, publicResourceFeeBasisPoints: 200 },
    );
    await fundOk(buyer, c.id);
    const before = await balances(operator);
    const confirmed = await confirm(buyer.client, c.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ state: 'ended', endReason: 'completed', escrow: 'released' });
    expect(confirmed.body.deliveredAt).not.toBeNull();
    const after = await balances(operator);
    const gained = (id: string) => availableOf(after, id) - availableOf(before, id);
    expect(gained('platform_fee')).toBe(2_700n);
    expect(gained('public_finance')).toBe(1_800n);
    expect(gained(`receivable:${merchant.organisationId}`)).toBe(42_751n);
    expect(gained(`receivable:${holderB.organisationId}`)).toBe(25_650n);
    expect(gained(`receivable:${holderC.organisationId}`)).toBe(17_100n);
    expect(after.get(`available:${buyer.organisationId}`)).toEqual({ available: 0n, pending: 0n });
    expect(after.get(`escrow:${buyer.organisationId}`)).toEqual({ available: 0n, pending: 0n });
    await expectSound(operator);
    expect(await ledgerActions(t, c.id)).toEqual([
      'negotiation.finalized',
      'contract.funded',
      'settlement.held',
      'contract.deliveryConfirmed',
      'settlement.posted',
      'settlement.released',
    ]);

    const again = await confirm(buyer.client, c.id);
    expect(again).toMatchObject({ status: 409, body: { code: 'escrow_not_held' } });
    expect((await openDispute(buyer.client, c.id)).status).toBe(409);
    expect(await balances(operator)).toEqual(after);
  });

  it('releases a subscription on confirmation and keeps it active until its period ends', async () => {
    const buyer = await buyerWith('30000');
    const c = await signed(
      buyer,
      computeTerms({ billingUnit: 'subscription', priceFen: 30_000n, computations: null, periodDays: 10 }),
    );
    await fundOk(buyer, c.id);
    expect((await confirm(merchant.client, c.id)).status).toBe(403);
    const confirmed = await confirm(buyer.client, c.id);
    expect(confirmed.body).toMatchObject({ state: 'active', escrow: 'released', endReason: null });
    await advance(10 * DAY + 1000, buyer);
    await delivery.sweep(t.clock.now());
    expect(await contract(c.id)).toMatchObject({ state: 'ended', end_reason: 'expired', escrow: 'released' });
    expect(await ledgerActions(t, c.id)).toContain('contract.expired');
    await expectSound(operator);
  });
});

describe('the clock: delivery timeout and period end', () => {
  it('releases an unconfirmed escrow once its delivery is due, as if confirmed, and once only', async () => {
    const buyer = await buyerWith('100000');
    const c = await signed(buyer, undefined, { shares: THREE_WAY() });
    const funded = await fundOk(buyer, c.id);
    await advance(7 * DAY - 1000, buyer);
    await delivery.sweep(t.clock.now());
    expect(await contract(c.id)).toMatchObject({ state: 'active', escrow: 'held' });
    await advance(2000, buyer);
    const before = await balances(operator);
    await delivery.sweep(t.clock.now());
    expect(await contract(c.id)).toMatchObject({
      state: 'ended',
      end_reason: 'completed',
      escrow: 'released',
    });
    const after = await balances(operator);
    const gained = (id: string) => availableOf(after, id) - availableOf(before, id);
    // 100000: 3% fee 3000, then 97000 as 50/30/20.
    expect(gained('platform_fee')).toBe(3_000n);
    expect(gained(`receivable:${merchant.organisationId}`)).toBe(48_500n);
    expect(gained(`receivable:${holderB.organisationId}`)).toBe(29_100n);
    expect(gained(`receivable:${holderC.organisationId}`)).toBe(19_400n);
    expect(await ledgerActions(t, c.id)).toContain('contract.deliveryTimedOut');
    await delivery.sweep(t.clock.now());
    expect(await balances(operator)).toEqual(after);
    expect(await confirm(buyer.client, c.id)).toMatchObject({
      status: 409,
      body: { code: 'escrow_not_held' },
    });
    expect(Date.parse(funded.body.deliveryDueAt)).toBeLessThanOrEqual(t.clock.now().getTime());
    await expectSound(operator);
  });
});

describe('free use (price 0, DE 41)', () => {
  it('activates without holding money, completes on confirmation, and is never metered or disputed', async () => {
    const buyer = await buyerWith('0');
    const fileTerms = {
      delivery: 'file' as const,
      columns: [],
      recipes: [],
      computations: null,
      priceFen: 0n,
    };
    const oneOff = await signed(buyer, computeTerms({ ...fileTerms, billingUnit: 'one-off' }));
    const before = await balances(operator);
    const funded = await fundOk(buyer, oneOff.id);
    expect(funded.body).toMatchObject({ state: 'active', escrow: 'released', deliveryDueAt: null });
    expect(await holdsOf(t, oneOff.id)).toEqual([]);
    expect(await balances(operator)).toEqual(before);
    // No money moved, so a retry under any key answers the contract as it is.
    const again = await fund(buyer.client, oneOff.id, randomUUID());
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect((await openDispute(buyer.client, oneOff.id)).status).toBe(409);
    const confirmed = await confirm(buyer.client, oneOff.id);
    expect(confirmed.body).toMatchObject({ state: 'ended', endReason: 'completed', escrow: 'released' });

    const metered = await signed(buyer, computeTerms({ priceFen: 0n, computations: 2, periodDays: 3 }));
    await fundOk(buyer, metered.id);
    await expect(delivery.meter(metered.id, 'r1')).rejects.toMatchObject({ code: 'contract_free' });
    await advance(3 * DAY + 1000, buyer);
    await delivery.sweep(t.clock.now());
    expect(await contract(metered.id)).toMatchObject({ state: 'ended', end_reason: 'expired' });
    expect(await balances(operator)).toEqual(before);
    await expectSound(operator);
  });
});

describe('metering', () => {
  it('posts one unit per released result, idempotent by release id; the period end returns unused units', async () => {
    const buyer = await buyerWith('3000');
    const c = await signed(buyer, computeTerms({ priceFen: 1000n, computations: 3, periodDays: 5 }));
    await fundOk(buyer, c.id);
    const confirmed = await confirm(buyer.client, c.id);
    expect(confirmed.body).toMatchObject({ state: 'active', escrow: 'held' });
    expect(confirmed.body.deliveredAt).not.toBeNull();
    expect(await confirm(buyer.client, c.id)).toMatchObject({
      status: 409,
      body: { code: 'delivery_confirmed' },
    });
    const before = await balances(operator);
    const first = await delivery.meter(c.id, 'result-1');
    expect(first).toMatchObject({
      unit: 1,
      replayed: false,
      contract: { computationsUsed: 1, state: 'active' },
    });
    const retry = await delivery.meter(c.id, 'result-1');
    expect(retry).toMatchObject({ unit: 1, replayed: true, contract: { computationsUsed: 1 } });
    const afterOne = await balances(operator);
    expect(availableOf(afterOne, 'platform_fee') - availableOf(before, 'platform_fee')).toBe(30n);
    expect(
      availableOf(afterOne, `receivable:${merchant.organisationId}`) -
        availableOf(before, `receivable:${merchant.organisationId}`),
    ).toBe(970n);
    expect(await holdsOf(t, c.id)).toEqual([
      { id: `${c.id}.u1`, state: 'released' },
      { id: `${c.id}.u2`, state: 'pending' },
      { id: `${c.id}.u3`, state: 'pending' },
    ]);
    await advance(5 * DAY + 1000, buyer);
    // Past the period, a result is not charged even before the sweep marks the contract expired.
    const beforeLate = await balances(operator);
    await expect(delivery.meter(c.id, 'result-late')).rejects.toMatchObject({
      code: 'contract_period_ended',
    });
    expect(await balances(operator)).toEqual(beforeLate);
    await delivery.sweep(t.clock.now());
    expect(await contract(c.id)).toMatchObject({ state: 'ended', end_reason: 'expired', escrow: 'split' });
    expect((await balances(operator)).get(`available:${buyer.organisationId}`)).toEqual({
      available: 2000n,
      pending: 0n,
    });
    await expect(delivery.meter(c.id, 'result-2')).rejects.toMatchObject({ code: 'contract_not_meterable' });
    await expectSound(operator);
  });

  it('completes the contract with its last unit and refuses one more', async () => {
    const buyer = await buyerWith('3000');
    const c = await signed(buyer, computeTerms({ priceFen: 1000n, computations: 3 }));
    await fundOk(buyer, c.id);
    for (const r of ['a', 'b', 'c']) await delivery.meter(c.id, r);
    expect(await contract(c.id)).toMatchObject({
      state: 'ended',
      end_reason: 'completed',
      escrow: 'released',
      computations_used: 3,
    });
    await expect(delivery.meter(c.id, 'd')).rejects.toMatchObject({ code: 'contract_not_meterable' });
    expect((await delivery.meter(c.id, 'c')).replayed).toBe(true);
    expect((await balances(operator)).get(`available:${buyer.organisationId}`)).toEqual({
      available: 0n,
      pending: 0n,
    });
    await expectSound(operator);
  });
});

describe('disputes', () => {
  it('freezes the escrow; the operator releases it; parties and regulators see it, others do not', async () => {
    const buyer = await buyerWith('100000');
    const c = await signed(buyer, undefined, { shares: THREE_WAY() });
    await fundOk(buyer, c.id);
    const opened = await openDispute(merchant.client, c.id);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      contractId: c.id,
      state: 'open',
      openedBySide: 'merchant',
      outcome: null,
    });
    expect(await contract(c.id)).toMatchObject({ state: 'disputed', escrow: 'held' });
    expect(await confirm(buyer.client, c.id)).toMatchObject({
      status: 409,
      body: { code: 'escrow_not_held' },
    });
    expect((await openDispute(buyer.client, c.id)).status).toBe(409);
    await advance(8 * DAY, buyer);
    await delivery.sweep(t.clock.now());
    expect(await contract(c.id)).toMatchObject({ state: 'disputed', escrow: 'held' });

    for (const client of [buyer.client, merchant.client, regulator, operator]) {
      const seen = conforms(await client.get(`/v1/disputes/${opened.body.id}`), 'GET', '/v1/disputes/{id}');
      expect(seen).toMatchObject({ status: 200, body: { id: opened.body.id } });
      const list = conforms(await client.get(`/v1/disputes?contractId=${c.id}`), 'GET', '/v1/disputes');
      expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([opened.body.id]);
    }
    expect((await stranger.client.get(`/v1/disputes/${opened.body.id}`)).status).toBe(404);
    expect((await stranger.client.get('/v1/disputes')).body.items).toEqual([]);
    expect((await decide(opened.body.id, { outcome: 'release', reason: 'x' }, buyer.client)).status).toBe(
      403,
    );

    const before = await balances(operator);
    const decided = await decide(opened.body.id, { outcome: 'release', reason: '交付完整，按约放款' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: 'decided', outcome: 'release', buyerShareBasisPoints: null });
    expect(await contract(c.id)).toMatchObject({
      state: 'ended',
      end_reason: 'dispute_decided',
      escrow: 'released',
    });
    const after = await balances(operator);
    expect(
      availableOf(after, `receivable:${holderB.organisationId}`) -
        availableOf(before, `receivable:${holderB.organisationId}`),
    ).toBe(29_100n);
    expect(await decide(opened.body.id, { outcome: 'refund', reason: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'dispute_decided' },
    });
    expect(await balances(operator)).toEqual(after);
    expect(await ledgerActions(t, opened.body.id)).toEqual(['dispute.opened', 'dispute.decided']);
    const [entry] = await query<{ leaf_input: string }>(
      t,
      `select e."leaf_input" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
       where s."subject_id" = ? and e."action" = 'dispute.decided'`,
      [opened.body.id],
    );
    expect(entry.leaf_input).toContain('交付完整，按约放款');
    await expectSound(operator);
  });

  it('refunds: the whole escrow returns to the buyer and the contract ends refunded', async () => {
    const buyer = await buyerWith('100000');
    const c = await signed(buyer);
    await fundOk(buyer, c.id);
    const opened = await openDispute(buyer.client, c.id);
    const decided = await decide(opened.body.id, { outcome: 'refund', reason: '未交付' });
    expect(decided.body).toMatchObject({ outcome: 'refund' });
    expect(await contract(c.id)).toMatchObject({
      state: 'ended',
      end_reason: 'refunded',
      escrow: 'refunded',
    });
    expect((await balances(operator)).get(`available:${buyer.organisationId}`)).toEqual({
      available: 100_000n,
      pending: 0n,
    });
    await expectSound(operator);
  });

  it('splits: the buyer’s share returns, the rest is paid out with the fee, exact to the fen', async () => {
    const buyer = await buyerWith('10001');
    const c = await signed(
      buyer,
      computeTerms({ billingUnit: 'one-off', priceFen: 10_001n, computations: null }),
    );
    await fundOk(buyer, c.id);
    const opened = await openDispute(buyer.client, c.id);
    const before = await balances(operator);
    const decided = await decide(opened.body.id, {
      outcome: 'split',
      buyerShareBasisPoints: 2500,
      reason: '部分数据缺失',
    });
    expect(decided.body).toMatchObject({ outcome: 'split', buyerShareBasisPoints: 2500 });
    expect(await contract(c.id)).toMatchObject({
      state: 'ended',
      end_reason: 'dispute_decided',
      escrow: 'split',
    });
    const after = await balances(operator);
    // 10001 × 75% = 7500.75 → 7500 paid out (3% fee 225, 7275 to the merchant); 2501 back to the buyer.
    expect(availableOf(after, `available:${buyer.organisationId}`)).toBe(2_501n);
    expect(availableOf(after, 'platform_fee') - availableOf(before, 'platform_fee')).toBe(225n);
    expect(
      availableOf(after, `receivable:${merchant.organisationId}`) -
        availableOf(before, `receivable:${merchant.organisationId}`),
    ).toBe(7_275n);
    await expectSound(operator);
  });

  it('splits a per-computation contract over the units still pending', async () => {
    const buyer = await buyerWith('3003');
    const c = await signed(buyer, computeTerms({ priceFen: 1001n, computations: 3 }), {
      platformFeeBasisPoints: 0,
    });
    await fundOk(buyer, c.id);
    await delivery.meter(c.id, 'first');
    const opened = await openDispute(merchant.client, c.id);
    await expect(delivery.meter(c.id, 'second')).rejects.toMatchObject({ code: 'contract_not_meterable' });
    const before = await balances(operator);
    await decide(opened.body.id, { outcome: 'split', buyerShareBasisPoints: 5000, reason: '一半结果不可用' });
    const after = await balances(operator);
    // 2 units pending = 2002; half = 1001 paid out as 501 + 500; 1001 back to the buyer.
    expect(availableOf(after, `available:${buyer.organisationId}`)).toBe(1_001n);
    expect(
      availableOf(after, `receivable:${merchant.organisationId}`) -
        availableOf(before, `receivable:${merchant.organisationId}`),
    ).toBe(1_001n);
    expect(await holdsOf(t, c.id)).toEqual([
      { id: `${c.id}.u1`, state: 'released' },
      { id: `${c.id}.u2`, state: 'released' },
      { id: `${c.id}.u3`, state: 'released' },
    ]);
    expect(await contract(c.id)).toMatchObject({ state: 'ended', escrow: 'split', computations_used: 1 });
    await expectSound(operator);
  });

  it('refuses bad dispute and decision bodies with 400, changing nothing', async () => {
    const buyer = await buyerWith('100000');
    const c = await signed(buyer);
    await fundOk(buyer, c.id);
    for (const body of [
      { statement: '', evidenceHashes: [] },
      { statement: 'x', evidenceHashes: ['0x1234'] },
      { statement: 'x', evidenceHashes: Array.from({ length: 21 }, () => `0x${'0'.repeat(64)}`) },
      { statement: 'x' },
    ]) {
      const reply = await openDispute(buyer.client, c.id, body);
      expect([reply.status, typeof reply.body.message]).toEqual([400, 'string']);
    }
    expect(await contract(c.id)).toMatchObject({ state: 'active' });
    expect((await openDispute(stranger.client, c.id)).status).toBe(404);
    const opened = await openDispute(buyer.client, c.id);
    // Unfiltered, a party sees only disputes over its own contracts (other tests' disputes exist by now).
    const own = (await buyer.client.get('/v1/disputes')).body.items as { id: string }[];
    expect(own.map((d) => d.id)).toEqual([opened.body.id]);
    const all = (await regulator.get('/v1/disputes')).body.items as { id: string }[];
    expect(all.length).toBeGreaterThan(1);
    // Paged like every list: one at a time, the pages together are the whole list, newest first.
    const paged: string[] = [];
    for (let after: string | null = null, pages = 0; pages === 0 || after !== null; pages++) {
      const reply: Reply = await regulator.get(`/v1/disputes?limit=1${after ? `&after=${after}` : ''}`);
      expect(reply.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...(reply.body.items as { id: string }[]).map((d) => d.id));
      after = reply.body.next;
    }
    expect(paged).toEqual(all.map((d) => d.id));
    expect((await regulator.get('/v1/disputes?after=not-ours!')).status).toBe(400);
    for (const body of [
      { outcome: 'split', reason: 'no share' },
      { outcome: 'split', buyerShareBasisPoints: 0, reason: 'zero' },
      { outcome: 'split', buyerShareBasisPoints: 10000, reason: 'all' },
      { outcome: 'release', buyerShareBasisPoints: 5000, reason: 'share on release' },
      { outcome: 'keep', reason: 'unknown' },
      { outcome: 'refund' },
    ]) {
      const reply = await decide(opened.body.id, body);
      expect([JSON.stringify(body), reply.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await contract(c.id)).toMatchObject({ state: 'disputed', escrow: 'held' });
  });
});
