import fc from 'fast-check';
import { accountOf, breaksGuard, flagsOf, availableOf } from './account.js';
import {
  fingerprintOf,
  planOperation,
  resultOf,
  storedResultOf,
  transferIdOf,
  transferIdsOf,
  type Operation,
} from './operation.js';
import { splitRevenue, type RevenueSplit } from './revenue-split.js';
import { SettlementBook } from './settlement-book.js';
import { SettlementError } from './settlement-error.js';
import { balancesFromTransfers, trialBalance } from './trial-balance.js';

const ORGS = ['o1', 'o2', 'o3', 'o4'];
const HOLDS = ['h1', 'h2', 'h3', 'h4', 'h5'];

const amount = fc.bigInt({ min: 1n, max: 5_000n });
const org = fc.constantFrom(...ORGS);
const holdId = fc.constantFrom(...HOLDS);

const split: fc.Arbitrary<RevenueSplit> = fc
  .record({
    platformFeeBasisPoints: fc.integer({ min: 0, max: 3000 }),
    publicResourceFeeBasisPoints: fc.integer({ min: 0, max: 2000 }),
    holders: fc.shuffledSubarray(ORGS, { minLength: 1, maxLength: 4 }),
    cuts: fc.array(fc.integer({ min: 1, max: 9999 }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ platformFeeBasisPoints, publicResourceFeeBasisPoints, holders, cuts }) => {
    // Positive shares summing to 10,000: distinct cut points of [0, 10000].
    const points = [...new Set(cuts)].sort((a, b) => a - b).slice(0, holders.length - 1);
    const bounds = [0, ...points, 10_000];
    const shares = holders
      .slice(0, bounds.length - 1)
      .map((organisationId, i) => ({ organisationId, basisPoints: bounds[i + 1] - bounds[i] }));
    return { platformFeeBasisPoints, publicResourceFeeBasisPoints, shares };
  });

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ name: fc.constant('deposit' as const), organisationId: org, amount }),
  fc.record({
    name: fc.constant('withdrawal' as const),
    organisationId: org,
    from: fc.constantFrom('available' as const, 'receivable' as const),
    amount,
  }),
  fc.record({
    name: fc.constant('transfer' as const),
    fromAccountId: fc.constantFrom(
      ...ORGS.map((o) => `available:${o}`),
      ...ORGS.map((o) => `receivable:${o}`),
    ),
    toAccountId: fc.constantFrom(...ORGS.map((o) => `available:${o}`), 'platform_fee', 'external'),
    amount,
  }),
  fc.record({ name: fc.constant('hold' as const), holdId, payerOrganisationId: org, amount }),
  fc.record({ name: fc.constant('post' as const), holdId, amount: fc.option(amount, { nil: undefined }) }),
  fc.record({ name: fc.constant('void' as const), holdId }),
  fc.record({ name: fc.constant('release' as const), holdId, split }),
  fc.record({ name: fc.constant('reversal' as const), transferId: fc.constantFrom('t1', 't2', 't5', 't9') }),
);

/** A step: a new operation under a new key, a retry of an earlier key, or an earlier key with other parameters. */
const step = fc.oneof(
  { weight: 6, arbitrary: operation.map((op) => ({ kind: 'new' as const, op })) },
  { weight: 1, arbitrary: fc.nat().map((n) => ({ kind: 'retry' as const, n })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), operation).map(([n, op]) => ({ kind: 'reuse' as const, n, op })),
  },
);

const snapshot = (book: SettlementBook) =>
  JSON.stringify(
    {
      balances: [...book.balances],
      transfers: book.transfers.length,
      holds: [...book.holds],
    },
    (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  );

function checkInvariants(book: SettlementBook): void {
  const totals = trialBalance(book.balances.values());
  expect(totals.balanced).toBe(true);
  // The kept balances are exactly what the transfers say.
  const recomputed = balancesFromTransfers(book.transfers);
  for (const [id, balance] of book.balances) {
    expect([id, recomputed.get(id)]).toEqual([id, balance]);
    expect([id, breaksGuard(flagsOf(accountOf(id)!.purpose), balance)]).toEqual([id, false]);
    expect(balance.debitsPending >= 0n && balance.creditsPending >= 0n).toBe(true);
  }
  // Every hold resolves at most once, and its pending amount is reserved exactly while it is pending.
  for (const hold of book.holds.values()) {
    const resolutions = book.transfers.filter((t) => t.pendingId === hold.pendingTransferId);
    expect(resolutions.length).toBe(hold.state === 'pending' ? 0 : 1);
    if (hold.state === 'voided') expect(hold.postedAmount).toBeNull();
    if (hold.state === 'posted' || hold.state === 'released')
      expect(resolutions[0].amount).toBe(hold.postedAmount);
  }
  const pendingHeld = [...book.holds.values()]
    .filter((h) => h.state === 'pending')
    .reduce((sum, h) => sum + h.amount, 0n);
  expect(totals.debitsPending).toBe(pendingHeld);
  // A released hold's group paid out exactly what was posted: every split sums to its whole.
  for (const hold of book.holds.values()) {
    if (hold.state !== 'released') continue;
    const release = book.transfers.filter(
      (t) =>
        t.debitAccountId === `escrow:${hold.payerOrganisationId}` &&
        ['platform_fee', 'public_resource_fee', 'revenue_share'].includes(t.code) &&
        t.operationId === releaseOf.get(hold.id),
    );
    expect(release.reduce((sum, t) => sum + t.amount, 0n)).toBe(hold.postedAmount);
  }
}

/** The operation id of each hold's release, as the runs below record it. */
const releaseOf = new Map<string, string>();

describe('the settlement book under random operations', () => {
  it('keeps debits equal to credits, no guarded balance negative, every split whole, every hold resolved once', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const book = new SettlementBook();
        releaseOf.clear();
        const done: { key: string; op: Operation; result: unknown }[] = [];
        steps.forEach((s, i) => {
          const before = snapshot(book);
          if (s.kind === 'retry' && done.length > 0) {
            const first = done[s.n % done.length];
            expect(book.execute(first.key, first.op)).toEqual(first.result);
            expect(snapshot(book)).toBe(before);
            return;
          }
          if (s.kind === 'reuse' && done.length > 0) {
            const first = done[s.n % done.length];
            if (fingerprintOf(first.op) === fingerprintOf(s.op)) return;
            expect(() => book.execute(first.key, s.op)).toThrow(
              expect.objectContaining({ code: 'idempotency_key_reused' }),
            );
            expect(snapshot(book)).toBe(before);
            return;
          }
          if (s.kind !== 'new') return;
          const key = `k${i}`;
          try {
            const result = book.execute(key, s.op);
            done.push({ key, op: s.op, result });
            if (s.op.name === 'release') releaseOf.set(s.op.holdId, result.operationId);
          } catch (error) {
            expect(error).toBeInstanceOf(SettlementError);
            // A refusal changes nothing.
            expect(snapshot(book)).toBe(before);
          }
          checkInvariants(book);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly the holds an account can afford', () => {
    fc.assert(
      fc.property(amount, fc.array(amount, { minLength: 1, maxLength: 30 }), (deposit, asks) => {
        const book = new SettlementBook();
        book.execute('d', { name: 'deposit', organisationId: 'o1', amount: deposit });
        let left = deposit;
        asks.forEach((ask, i) => {
          const affordable = ask <= left;
          try {
            book.execute(`h${i}`, { name: 'hold', holdId: `h${i}`, payerOrganisationId: 'o1', amount: ask });
            expect(affordable).toBe(true);
            left -= ask;
          } catch (error) {
            expect([affordable, (error as SettlementError).code]).toEqual([false, 'insufficient_funds']);
          }
        });
        expect(availableOf(book.balances.get('available:o1')!)).toBe(left);
      }),
    );
  });
});

describe('two-phase holds', () => {
  const funded = () => {
    const book = new SettlementBook();
    book.execute('d', { name: 'deposit', organisationId: 'buyer', amount: 10_000n });
    book.execute('h', { name: 'hold', holdId: 'contract-1', payerOrganisationId: 'buyer', amount: 6_000n });
    return book;
  };

  it('reserves on hold, posts in part and gives the rest back', () => {
    const book = funded();
    expect(availableOf(book.balances.get('available:buyer')!)).toBe(4_000n);
    expect(book.balances.get('escrow:buyer')!.creditsPending).toBe(6_000n);
    const posted = book.execute('p', { name: 'post', holdId: 'contract-1', amount: 2_500n });
    expect(posted.hold).toMatchObject({ state: 'posted', postedFen: '2500' });
    expect(availableOf(book.balances.get('available:buyer')!)).toBe(7_500n);
    expect(book.balances.get('escrow:buyer')).toEqual({
      debitsPosted: 0n,
      creditsPosted: 2_500n,
      debitsPending: 0n,
      creditsPending: 0n,
    });
  });

  it('resolves at most once: a post after a void, a void after a post, a second post are refused', () => {
    for (const [first, second] of [
      ['void', 'post'],
      ['post', 'void'],
      ['post', 'post'],
    ] as const) {
      const book = funded();
      book.execute('1', { name: first, holdId: 'contract-1' });
      const before = snapshot(book);
      expect(() => book.execute('2', { name: second, holdId: 'contract-1' })).toThrow(
        expect.objectContaining({ code: 'hold_resolved' }),
      );
      expect(snapshot(book)).toBe(before);
    }
  });

  it('refuses to post more than the hold, to release before posting, and a second hold of one id', () => {
    const book = funded();
    expect(() => book.execute('p', { name: 'post', holdId: 'contract-1', amount: 6_001n })).toThrow(
      expect.objectContaining({ code: 'amount_exceeds_hold' }),
    );
    const split = {
      platformFeeBasisPoints: 0,
      publicResourceFeeBasisPoints: 0,
      shares: [{ organisationId: 'm', basisPoints: 10_000 }],
    };
    expect(() => book.execute('r', { name: 'release', holdId: 'contract-1', split })).toThrow(
      expect.objectContaining({ code: 'hold_not_posted' }),
    );
    expect(() =>
      book.execute('h2', { name: 'hold', holdId: 'contract-1', payerOrganisationId: 'buyer', amount: 1n }),
    ).toThrow(expect.objectContaining({ code: 'hold_exists' }));
  });

  it('releases as one group: fees first, then the shares, into the holders’ receivable accounts', () => {
    const book = funded();
    book.execute('p', { name: 'post', holdId: 'contract-1' });
    const result = book.execute('r', {
      name: 'release',
      holdId: 'contract-1',
      split: {
        platformFeeBasisPoints: 250,
        publicResourceFeeBasisPoints: 100,
        shares: [
          { organisationId: 'holding', basisPoints: 5000 },
          { organisationId: 'processing', basisPoints: 3000 },
          { organisationId: 'operation', basisPoints: 2000 },
        ],
      },
    });
    expect(result.transfers.map((t) => [t.code, t.creditAccountId, t.amountFen])).toEqual([
      ['platform_fee', 'platform_fee', '150'],
      ['public_resource_fee', 'public_finance', '60'],
      ['revenue_share', 'receivable:holding', '2895'],
      ['revenue_share', 'receivable:processing', '1737'],
      ['revenue_share', 'receivable:operation', '1158'],
    ]);
    expect(availableOf(book.balances.get('escrow:buyer')!)).toBe(0n);
    expect(() => book.execute('r2', { name: 'void', holdId: 'contract-1' })).toThrow(
      expect.objectContaining({ code: 'hold_resolved' }),
    );
  });
});

describe('corrections', () => {
  it('reverses a deposit once, only while the money is still there', () => {
    const book = new SettlementBook();
    const deposit = book.execute('d', { name: 'deposit', organisationId: 'o', amount: 100n });
    const id = deposit.transfers[0].id;
    book.execute('w', { name: 'withdrawal', organisationId: 'o', from: 'available', amount: 60n });
    expect(() => book.execute('x', { name: 'reversal', transferId: id })).toThrow(
      expect.objectContaining({ code: 'insufficient_funds' }),
    );
    book.execute('d2', { name: 'deposit', organisationId: 'o', amount: 60n });
    const reversal = book.execute('x2', { name: 'reversal', transferId: id });
    expect(reversal.transfers[0]).toMatchObject({
      debitAccountId: 'available:o',
      creditAccountId: 'external',
      reversesId: id,
    });
    expect(() => book.execute('x3', { name: 'reversal', transferId: id })).toThrow(
      expect.objectContaining({ code: 'already_reversed' }),
    );
    expect(() => book.execute('x4', { name: 'reversal', transferId: reversal.transfers[0].id })).toThrow(
      expect.objectContaining({ code: 'not_reversible' }),
    );
  });
});

describe('the revenue split', () => {
  it.each([
    // amount, platform bps, public bps, shares → fee, public fee, parts
    [100n, 0, 0, [3334, 3333, 3333], 0n, 0n, [34n, 33n, 33n]],
    [1n, 0, 0, [5000, 5000], 0n, 0n, [1n, 0n]],
    // Largest remainder: 0.0002 and 1.9998 fen exactly, so the spare fen goes to the second holder.
    [2n, 0, 0, [1, 9999], 0n, 0n, [0n, 2n]],
    // A share that is already whole gets no spare fen (found by the property below with an earliest-first rule).
    [10_000n, 0, 0, [2500, 1, 7499], 0n, 0n, [2500n, 1n, 7499n]],
    [10_001n, 0, 0, [2500, 1, 7499], 0n, 0n, [2500n, 1n, 7500n]],
    [10_000n, 500, 300, [10_000], 500n, 300n, [9_200n]],
    [999n, 250, 100, [6000, 4000], 24n, 9n, [580n, 386n]],
    [7n, 10_000, 0, [10_000], 7n, 0n, [0n]],
  ])('%s fen at %s/%s bps over %j', (total, fee, pub, shares, wantFee, wantPublic, wantParts) => {
    const result = splitRevenue(total, {
      platformFeeBasisPoints: fee,
      publicResourceFeeBasisPoints: pub,
      shares: shares.map((basisPoints, i) => ({ organisationId: `o${i}`, basisPoints })),
    });
    expect([result.platformFee, result.publicResourceFee, result.parts.map((p) => p.amount)]).toEqual([
      wantFee,
      wantPublic,
      wantParts,
    ]);
  });

  it('always sums to its whole, each part within one fen of its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), split, (total, s) => {
        const result = splitRevenue(total, s);
        const sum = result.parts.reduce(
          (a, p) => a + p.amount,
          result.platformFee + result.publicResourceFee,
        );
        expect(sum).toBe(total);
        const rest = total - result.platformFee - result.publicResourceFee;
        result.parts.forEach((p, i) => {
          const exactTimes10k = rest * BigInt(s.shares[i].basisPoints);
          const diff = p.amount * 10_000n - exactTimes10k;
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
        });
      }),
    );
  });

  it.each([
    ['shares not summing to the whole', [{ organisationId: 'a', basisPoints: 9_999 }], 0, 0],
    [
      'a holder twice',
      [
        { organisationId: 'a', basisPoints: 5_000 },
        { organisationId: 'a', basisPoints: 5_000 },
      ],
      0,
      0,
    ],
    [
      'a zero share',
      [
        { organisationId: 'a', basisPoints: 10_000 },
        { organisationId: 'b', basisPoints: 0 },
      ],
      0,
      0,
    ],
    ['fees above the whole', [{ organisationId: 'a', basisPoints: 10_000 }], 6_000, 5_000],
    ['a fractional fee', [{ organisationId: 'a', basisPoints: 10_000 }], 2.5, 0],
  ])('refuses %s', (_, shares, fee, pub) => {
    const book = new SettlementBook();
    book.execute('d', { name: 'deposit', organisationId: 'b', amount: 100n });
    book.execute('h', { name: 'hold', holdId: 'h', payerOrganisationId: 'b', amount: 100n });
    book.execute('p', { name: 'post', holdId: 'h' });
    expect(() =>
      book.execute('r', {
        name: 'release',
        holdId: 'h',
        split: { platformFeeBasisPoints: fee, publicResourceFeeBasisPoints: pub, shares },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_split' }));
  });
});

describe('a release’s transfer ids', () => {
  it('run without a gap when a fee is zero, so a replay rebuilds the release from its stored count', () => {
    const hold = {
      id: 'contract-9',
      payerOrganisationId: 'buyer',
      amount: 1_000n,
      postedAmount: 1_000n,
      state: 'posted' as const,
      pendingTransferId: 'x.000',
    };
    let next = 0;
    const plan = planOperation(
      {
        name: 'release',
        holdId: hold.id,
        split: {
          platformFeeBasisPoints: 300,
          publicResourceFeeBasisPoints: 0,
          shares: [{ organisationId: 'merchant', basisPoints: 10_000 }],
        },
      },
      {
        operationId: 'op',
        newId: () => transferIdOf('op', next++),
        hold: () => hold,
        transfer: () => undefined,
      },
    );
    expect(plan.transfers.map((t) => [t.id, t.code, t.amount])).toEqual([
      ['op.000', 'platform_fee', 30n],
      ['op.001', 'revenue_share', 970n],
    ]);
    expect(transferIdsOf(storedResultOf(resultOf(plan, null)))).toEqual(plan.transfers.map((t) => t.id));
  });
});
