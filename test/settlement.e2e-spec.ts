import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import {
  SettlementBook,
  SettlementService,
  availableOf,
  type Operation,
  type RevenueSplit,
} from '@app/settlement';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import { seededRandom } from './support/seeded-random.js';
import type { HttpClient } from './support/http-client.js';

/**
 * Settlement over HTTP and through the service, on SQLite and (with DATABASE_URL) PostgreSQL: idempotent deposits,
 * guarded withdrawals, who sees which balances, a trial balance that balances and reconciles, holds resolved once,
 * a release split exactly, and the database store agreeing with the in-memory book operation for operation.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let buyer: Party;
let merchant: Party;
let settlement: SettlementService;
const actor = { accountId: null, organisationId: null };

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  buyer = await world.party(['buyer'], operator);
  merchant = await world.party(['merchant'], operator);
  settlement = t.app.get(SettlementService);
});
afterAll(() => t.close());

const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
  t.app.get(MikroORM).em.getConnection().execute(sql, params);

const count = async (table: string): Promise<number> =>
  Number((await query<{ n: number | string }>(`select count(*) as "n" from "${table}"`))[0].n);

const ledgerActions = async (subjectId: string): Promise<string[]> =>
  (
    await query<{ action: string }>(
      `select e."action" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
       where s."subject_id" = ? order by e."leaf_index"`,
      [subjectId],
    )
  ).map((r) => r.action);

const deposit = (
  key: string | undefined,
  organisationId: string,
  amountFen: string | number,
  client = operator,
) =>
  client.request(
    'POST',
    '/v1/settlement/deposits',
    { organisationId, amountFen },
    key === undefined ? {} : { 'idempotency-key': key },
  );

const available = async (client: HttpClient, accountId: string): Promise<string | undefined> =>
  (await client.get('/v1/settlement/balances')).body.accounts.find(
    (a: { accountId: string }) => a.accountId === accountId,
  )?.availableFen;

describe('deposits', () => {
  it('credits the organisation once for one key, and replays the first result to a retry', async () => {
    const party = await world.party(['buyer'], operator);
    const key = randomUUID();
    const first = await deposit(key, party.organisationId, '12345');
    expect(first).toMatchObject({
      status: 201,
      body: {
        operation: 'deposit',
        replayed: false,
        hold: null,
        transfers: [
          {
            kind: 'posted',
            code: 'deposit',
            debitAccountId: 'external',
            creditAccountId: `available:${party.organisationId}`,
            amountFen: '12345',
          },
        ],
      },
    });
    const transfers = await count('settlement_transfers');
    const retry = await deposit(key, party.organisationId, '12345');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(await count('settlement_transfers')).toBe(transfers);
    expect(await available(party.client, `available:${party.organisationId}`)).toBe('12345');
    expect(await ledgerActions(first.body.operationId)).toEqual(['settlement.deposited']);
  });

  it('takes the amount as a JSON integer too, the same parameters as its string for a retry', async () => {
    const party = await world.party(['buyer'], operator);
    const key = randomUUID();
    const first = await deposit(key, party.organisationId, 700);
    expect(first).toMatchObject({ status: 201, body: { transfers: [{ amountFen: '700' }] } });
    const retry = await deposit(key, party.organisationId, '700');
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(await available(party.client, `available:${party.organisationId}`)).toBe('700');
  });

  it('refuses the same key with another amount or another organisation, and changes nothing', async () => {
    const party = await world.party(['buyer'], operator);
    const key = randomUUID();
    expect((await deposit(key, party.organisationId, '500')).status).toBe(201);
    const transfers = await count('settlement_transfers');
    for (const [organisationId, amount] of [
      [party.organisationId, '501'],
      [buyer.organisationId, '500'],
    ]) {
      const reply = await deposit(key, organisationId, amount);
      expect(reply).toMatchObject({
        status: 422,
        body: {
          code: 'idempotency_key_reused',
          message: expect.stringMatching(/used for a different request/),
        },
      });
    }
    expect(await count('settlement_transfers')).toBe(transfers);
    expect(await available(party.client, `available:${party.organisationId}`)).toBe('500');
  });

  it('scopes keys by the calling organisation: another operator’s same key is its own', async () => {
    const other = (await world.overseer('operator')).client;
    const key = randomUUID();
    expect((await deposit(key, buyer.organisationId, '1')).body.replayed).toBe(false);
    expect((await deposit(key, buyer.organisationId, '2', other)).body.replayed).toBe(false);
  });

  it.each([
    ['no Idempotency-Key', undefined, 400, 'idempotency_key_required', /send an Idempotency-Key header/],
    ['a key with a space', 'a b', 400, 'idempotency_key_invalid', /visible ASCII/],
    ['a 101-character key', 'k'.repeat(101), 400, 'idempotency_key_invalid', /1 to 100/],
  ])('answers %s with a 400 that says so', async (_, key, status, code, message) => {
    const before = await count('settlement_transfers');
    const reply = await deposit(key, buyer.organisationId, '100');
    expect(reply).toMatchObject({ status, body: { code, message: expect.stringMatching(message) } });
    expect(await count('settlement_transfers')).toBe(before);
  });

  it.each([
    ['a float', 100.5, /amountFen must be a whole number of fen/],
    ['a fraction', '1.5', /whole number of fen/],
    ['zero', '0', /whole number of fen, 1 or more/],
    ['a negative amount', '-5', /whole number of fen/],
    ['more than 10^15 fen', '1000000000000001', /from 1 to 1000000000000000/],
  ])('refuses %s as amountFen with a 400, changing nothing', async (_, amountFen, message) => {
    const before = await count('settlement_transfers');
    const reply = await operator.request(
      'POST',
      '/v1/settlement/deposits',
      { organisationId: buyer.organisationId, amountFen },
      { 'idempotency-key': randomUUID() },
    );
    expect(reply).toMatchObject({ status: 400, body: { message: expect.stringMatching(message) } });
    expect(await count('settlement_transfers')).toBe(before);
  });

  it('replays a deposit to an organisation suspended since, and refuses a new one', async () => {
    const party = await world.party(['buyer'], operator);
    const key = randomUUID();
    const first = await deposit(key, party.organisationId, '40');
    expect(
      (await operator.post(`/v1/organisations/${party.organisationId}/admission`, { decision: 'suspend' }))
        .status,
    ).toBe(200);
    expect((await deposit(key, party.organisationId, '40')).body).toEqual({ ...first.body, replayed: true });
    expect((await deposit(randomUUID(), party.organisationId, '40')).body.code).toBe(
      'organisation_not_admitted',
    );
  });

  it('refuses unknown and unadmitted organisations, and callers other than the operator', async () => {
    expect((await deposit(randomUUID(), randomUUID(), '100')).status).toBe(404);
    const pending = await world.party(['buyer']);
    expect(await deposit(randomUUID(), pending.organisationId, '100')).toMatchObject({
      status: 409,
      body: { code: 'organisation_not_admitted' },
    });
    for (const client of [buyer.client, merchant.client, regulator]) {
      expect((await deposit(randomUUID(), buyer.organisationId, '100', client)).status).toBe(403);
    }
  });
});

describe('withdrawals', () => {
  it('pays out what is there and refuses an overdraft with nothing changed', async () => {
    const party = await world.party(['buyer'], operator);
    await deposit(randomUUID(), party.organisationId, '1000');
    const withdraw = (amountFen: string, key = randomUUID()) =>
      operator.request(
        'POST',
        '/v1/settlement/withdrawals',
        { organisationId: party.organisationId, amountFen },
        { 'idempotency-key': key },
      );
    const refused = await withdraw('1001');
    expect(refused).toMatchObject({
      status: 422,
      body: {
        code: 'insufficient_funds',
        message: expect.stringContaining(`available:${party.organisationId}`),
      },
    });
    const ok = await withdraw('600');
    expect(ok.body.transfers[0]).toMatchObject({
      code: 'withdrawal',
      debitAccountId: `available:${party.organisationId}`,
      creditAccountId: 'external',
    });
    expect(await available(party.client, `available:${party.organisationId}`)).toBe('400');
    expect((await withdraw('401')).status).toBe(422);
  });
});

describe('balances and the trial balance', () => {
  it('shows a party its own three accounts only; operators and regulators every account', async () => {
    await deposit(randomUUID(), merchant.organisationId, '77');
    const own = (await merchant.client.get('/v1/settlement/balances')).body.accounts;
    expect(own.map((a: { accountId: string }) => a.accountId)).toEqual([
      `available:${merchant.organisationId}`,
      `escrow:${merchant.organisationId}`,
      `receivable:${merchant.organisationId}`,
    ]);
    expect(own[0]).toMatchObject({ availableFen: '77', pendingFen: '0', creditsPostedFen: '77' });
    const others = (await buyer.client.get('/v1/settlement/balances')).body.accounts;
    expect(JSON.stringify(others)).not.toContain(merchant.organisationId);
    for (const overseer of [operator, regulator]) {
      const all = (await overseer.get('/v1/settlement/balances')).body.accounts.map(
        (a: { accountId: string }) => a.accountId,
      );
      expect(all).toEqual(expect.arrayContaining([`available:${merchant.organisationId}`, 'external']));
    }
  });

  it('balances and reconciles; parties may not read it', async () => {
    const reply = await regulator.get('/v1/settlement/trial-balance');
    expect(reply.status).toBe(200);
    const body = reply.body;
    expect(body).toMatchObject({ balanced: true, reconciled: true });
    expect(body.totalDebitsFen).toBe(body.totalCreditsFen);
    const sum = (field: string) =>
      body.accounts.reduce((s: bigint, a: Record<string, string>) => s + BigInt(a[field]), 0n).toString();
    expect(sum('debitsPostedFen')).toBe(body.totalDebitsFen);
    expect(sum('creditsPostedFen')).toBe(body.totalCreditsFen);
    expect(BigInt(body.totalDebitsFen)).toBeGreaterThan(0n);
    for (const client of [buyer.client, merchant.client])
      expect((await client.get('/v1/settlement/trial-balance')).status).toBe(403);
  });

  it('refuses to change or delete a transfer in the database itself', async () => {
    await expect(query('update "settlement_transfers" set "amount" = ?', [1])).rejects.toThrow(/append-only/);
    await expect(query('delete from "settlement_transfers"')).rejects.toThrow(/append-only/);
    await expect(
      query('update "settlement_accounts" set "debits_posted" = "credits_posted" + 1 where "id" = ?', [
        `available:${merchant.organisationId}`,
      ]),
    ).rejects.toThrow(/settlement_accounts_guard|constraint/i);
  });
});

describe('holds, posts, voids and the release (the calls contracts make)', () => {
  const split = (holders: string[]): RevenueSplit => ({
    platformFeeBasisPoints: 300,
    publicResourceFeeBasisPoints: 200,
    shares: [
      { organisationId: holders[0], basisPoints: 5000 },
      { organisationId: holders[1], basisPoints: 3000 },
      { organisationId: holders[2], basisPoints: 2000 },
    ],
  });

  it('funds, posts in part, releases a three-way split with both fees, and the trial balance holds', async () => {
    const payer = await world.party(['buyer'], operator);
    const holders = [merchant.organisationId, randomUUID(), randomUUID()];
    await deposit(randomUUID(), payer.organisationId, '100001');
    const holdId = `contract-${randomUUID()}`;
    const held = await settlement.hold(`k-${holdId}-fund`, holdId, payer.organisationId, 100_001n, actor);
    expect(held.result.hold).toMatchObject({ state: 'pending', amountFen: '100001' });
    expect(await available(payer.client, `available:${payer.organisationId}`)).toBe('0');
    const posted = await settlement.post(`k-${holdId}-post`, holdId, 90_001n, actor);
    expect(posted.result.hold).toMatchObject({ state: 'posted', postedFen: '90001' });
    expect(await available(payer.client, `available:${payer.organisationId}`)).toBe('10000');
    const released = await settlement.release(`k-${holdId}-release`, holdId, split(holders), actor);
    const amounts = released.result.transfers.map((tr) => [tr.code, tr.creditAccountId, tr.amountFen]);
    // 90001 fen: 3% platform fee 2700, 2% public-resource fee 1800, 85501 shared 5:3:2 → 42751 (one remainder fen), 25650, 17100.
    expect(amounts).toEqual([
      ['platform_fee', 'platform_fee', '2700'],
      ['public_resource_fee', 'public_finance', '1800'],
      ['revenue_share', `receivable:${holders[0]}`, '42751'],
      ['revenue_share', `receivable:${holders[1]}`, '25650'],
      ['revenue_share', `receivable:${holders[2]}`, '17100'],
    ]);
    expect(amounts.reduce((s, [, , a]) => s + BigInt(a), 0n)).toBe(90_001n);
    expect(await ledgerActions(holdId)).toEqual([
      'settlement.held',
      'settlement.posted',
      'settlement.released',
    ]);
    const trial = (await operator.get('/v1/settlement/trial-balance')).body;
    expect(trial).toMatchObject({ balanced: true, reconciled: true });
    expect((await regulator.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
    const escrow = trial.accounts.find(
      (a: { accountId: string }) => a.accountId === `escrow:${payer.organisationId}`,
    );
    expect(escrow).toMatchObject({ availableFen: '0', pendingFen: '0' });
  });

  it('refuses a second resolution of a hold, and a release before posting, each changing nothing', async () => {
    const payer = await world.party(['buyer'], operator);
    await deposit(randomUUID(), payer.organisationId, '500');
    const holdId = randomUUID();
    await settlement.hold(randomUUID(), holdId, payer.organisationId, 500n, actor);
    await expect(
      settlement.release(randomUUID(), holdId, split([randomUUID(), randomUUID(), randomUUID()]), actor),
    ).rejects.toMatchObject({ code: 'hold_not_posted' });
    await settlement.void(randomUUID(), holdId, actor);
    const transfers = await count('settlement_transfers');
    await expect(settlement.post(randomUUID(), holdId, undefined, actor)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'hold_resolved',
    });
    await expect(settlement.void(randomUUID(), holdId, actor)).rejects.toMatchObject({
      code: 'hold_resolved',
    });
    expect(await count('settlement_transfers')).toBe(transfers);
    expect(await available(payer.client, `available:${payer.organisationId}`)).toBe('500');
    expect((await settlement.findHold(holdId)).state).toBe('voided');
  });

  it('replays a post retried after it resolved the hold, instead of refusing it as resolved', async () => {
    const payer = await world.party(['buyer'], operator);
    await deposit(randomUUID(), payer.organisationId, '50');
    const holdId = randomUUID();
    await settlement.hold(randomUUID(), holdId, payer.organisationId, 50n, actor);
    const key = randomUUID();
    const first = await settlement.post(key, holdId, 20n, actor);
    const again = await settlement.post(key, holdId, 20n, actor);
    expect(again).toEqual({ result: first.result, replayed: true });
    await expect(settlement.post(key, holdId, 30n, actor)).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
  });

  it('corrects a deposit by a reversing transfer, once', async () => {
    const party = await world.party(['buyer'], operator);
    const made = await deposit(randomUUID(), party.organisationId, '900');
    const id = made.body.transfers[0].id as string;
    const reversal = await settlement.reverse(randomUUID(), id, actor);
    expect(reversal.result.transfers[0]).toMatchObject({
      code: 'reversal',
      debitAccountId: `available:${party.organisationId}`,
      creditAccountId: 'external',
      reversesId: id,
    });
    await expect(settlement.reverse(randomUUID(), id, actor)).rejects.toMatchObject({
      code: 'already_reversed',
    });
    expect(await available(party.client, `available:${party.organisationId}`)).toBe('0');
  });
});

describe('the database store against the in-memory book', () => {
  it('agrees with SettlementBook on every outcome and every balance over a seeded random run', async () => {
    const random = seededRandom(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const orgs = [randomUUID(), randomUUID(), randomUUID()];
    const holds = Array.from({ length: 6 }, () => randomUUID());
    const amount = () => BigInt(1 + Math.floor(random() * 3000));
    const book = new SettlementBook();
    const transferIds: [string, string][] = [];
    const outcomes: [string, string][] = [];
    for (let i = 0; i < 150; i++) {
      const r = random();
      const reversal = transferIds.length > 0 ? pick(transferIds) : undefined;
      const op: Operation =
        r < 0.25
          ? { name: 'deposit', organisationId: pick(orgs), amount: amount() }
          : r < 0.3
            ? {
                name: 'transfer',
                fromAccountId: `available:${pick(orgs)}`,
                toAccountId: pick([`available:${pick(orgs)}`, `receivable:${pick(orgs)}`]),
                amount: amount(),
              }
            : r < 0.35
              ? {
                  name: 'withdrawal',
                  organisationId: pick(orgs),
                  from: pick(['available', 'receivable'] as const),
                  amount: amount(),
                }
              : r < 0.55
                ? { name: 'hold', holdId: pick(holds), payerOrganisationId: pick(orgs), amount: amount() }
                : r < 0.7
                  ? { name: 'post', holdId: pick(holds), ...(random() < 0.5 ? { amount: amount() } : {}) }
                  : r < 0.8
                    ? { name: 'void', holdId: pick(holds) }
                    : r < 0.93
                      ? {
                          name: 'release',
                          holdId: pick(holds),
                          split: {
                            platformFeeBasisPoints: 250,
                            publicResourceFeeBasisPoints: 100,
                            shares: [
                              { organisationId: orgs[0], basisPoints: 3334 },
                              { organisationId: orgs[1], basisPoints: 6666 },
                            ],
                          },
                        }
                      : { name: 'reversal', transferId: reversal?.[1] ?? randomUUID() };
      // Reversals name transfers by id, and ids differ between the two: map the book's id to the store's.
      const bookOp: Operation = op.name === 'reversal' ? { ...op, transferId: reversal?.[0] ?? 'none' } : op;
      const key = `run-${i}`;
      let bookOutcome: string;
      let bookTransfers: string[] = [];
      try {
        bookTransfers = book.execute(key, bookOp).transfers.map((tr) => tr.id);
        bookOutcome = 'ok';
      } catch (error) {
        bookOutcome = (error as { code: string }).code;
      }
      let storeOutcome: string;
      try {
        const done = await settlement.execute(key + randomUUID(), op, actor);
        storeOutcome = 'ok';
        done.result.transfers.forEach((tr, j) => transferIds.push([bookTransfers[j], tr.id]));
      } catch (error) {
        storeOutcome = (error as { code: string }).code;
      }
      outcomes.push([bookOutcome, storeOutcome]);
    }
    expect(outcomes.filter(([a, b]) => a !== b)).toEqual([]);
    expect(outcomes.filter(([a]) => a === 'ok').length).toBeGreaterThan(50);
    // The run exercised the refusals too, not only the happy path.
    expect([...new Set(outcomes.map(([a]) => a))]).toEqual(
      expect.arrayContaining(['ok', 'insufficient_funds', 'hold_resolved', 'hold_not_found']),
    );
    const accounts = (await operator.get('/v1/settlement/balances')).body.accounts as Record<
      string,
      string
    >[];
    // The platform's own accounts are shared with the tests above; this run's organisations are its own.
    for (const [id, balance] of [...book.balances].filter(([id]) => id.includes(':'))) {
      const stored = accounts.find((a) => a.accountId === id);
      expect([id, stored?.availableFen, stored?.debitsPendingFen, stored?.creditsPendingFen]).toEqual([
        id,
        availableOf(balance).toString(),
        balance.debitsPending.toString(),
        balance.creditsPending.toString(),
      ]);
    }
    for (const [id, hold] of book.holds)
      expect([id, (await settlement.findHold(id)).state]).toEqual([id, hold.state]);
    expect((await operator.get('/v1/settlement/trial-balance')).body).toMatchObject({
      balanced: true,
      reconciled: true,
    });
  });
});

describe('the trial balance as a detective control (last: it tampers with the totals)', () => {
  it('shows an account whose stored totals no longer match its transfers as unbalanced and unreconciled', async () => {
    const party = await world.party(['buyer'], operator);
    await deposit(randomUUID(), party.organisationId, '300');
    await query('update "settlement_accounts" set "credits_posted" = "credits_posted" + ? where "id" = ?', [
      5,
      `available:${party.organisationId}`,
    ]);
    const trial = (await regulator.get('/v1/settlement/trial-balance')).body;
    expect(trial).toMatchObject({ balanced: false, reconciled: false });
    expect(BigInt(trial.totalCreditsFen) - BigInt(trial.totalDebitsFen)).toBe(5n);
  });
});
