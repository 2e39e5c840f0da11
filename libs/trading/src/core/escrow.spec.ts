import fc from 'fast-check';
import {
  DEFAULT_DELIVERY_WINDOW_DAYS,
  escrowAfter,
  fundingDates,
  fundingHolds,
  pendingUnitHolds,
  sellerPartOf,
  spreadOverHolds,
  type EscrowContract,
} from './escrow.js';

const DAY = 86_400_000;
const contract = (over: Partial<EscrowContract['terms']> = {}, used = 0): EscrowContract => {
  const terms = {
    billingUnit: 'per-computation' as const,
    priceFen: '1500',
    computations: 3,
    periodDays: 30,
    ...over,
  };
  return {
    id: 'c',
    amountFen:
      terms.billingUnit === 'per-computation'
        ? BigInt(terms.priceFen) * BigInt(terms.computations ?? 0)
        : BigInt(terms.priceFen),
    terms,
    computationsUsed: used,
  };
};

describe('escrow holds', () => {
  it('is one hold for one-off and subscription billing, one per computation otherwise, summing to the amount', () => {
    expect(fundingHolds(contract({ billingUnit: 'one-off', computations: null }))).toEqual([
      { holdId: 'c', amount: 1500n },
    ]);
    expect(fundingHolds(contract())).toEqual([
      { holdId: 'c.u1', amount: 1500n },
      { holdId: 'c.u2', amount: 1500n },
      { holdId: 'c.u3', amount: 1500n },
    ]);
    expect(pendingUnitHolds(contract({}, 2))).toEqual([{ holdId: 'c.u3', amount: 1500n }]);
  });

  it('is due for delivery a window after funding, never after the period, and never for metered contracts', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const oneOff = fundingDates(contract({ billingUnit: 'one-off', computations: null }), at);
    expect(oneOff.endsAt.getTime() - at.getTime()).toBe(30 * DAY);
    expect(oneOff.deliveryDueAt!.getTime() - at.getTime()).toBe(DEFAULT_DELIVERY_WINDOW_DAYS * DAY);
    const configured = fundingDates(contract({ billingUnit: 'one-off', computations: null }), at, 14);
    expect(configured.deliveryDueAt!.getTime() - at.getTime()).toBe(14 * DAY);
    const short = fundingDates(
      contract({ billingUnit: 'subscription', computations: null, periodDays: 2 }),
      at,
    );
    expect(short.deliveryDueAt).toEqual(short.endsAt);
    expect(fundingDates(contract(), at).deliveryDueAt).toBeNull();
  });

  it('names what became of the money', () => {
    expect([escrowAfter(true, false), escrowAfter(false, true), escrowAfter(true, true)]).toEqual([
      'released',
      'refunded',
      'split',
    ]);
  });
});

describe('a split decision', () => {
  it('rounds the paid part down, so the fraction of a fen stays with the buyer', () => {
    expect(sellerPartOf(10_001n, 2500)).toBe(7_500n);
    expect(sellerPartOf(1n, 1)).toBe(0n);
  });

  it('spreads a total over holds exactly, each part within its hold and within a fen of the others’ share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amounts, fraction) => {
          const sum = amounts.reduce((a, b) => a + b, 0n);
          const total = (sum * BigInt(Math.floor(fraction * 10_000))) / 10_000n;
          const parts = spreadOverHolds(total, amounts);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((p, i) => {
            expect(p >= 0n && p <= amounts[i]).toBe(true);
            const exact = (total * amounts[i]) / sum;
            expect(p - exact >= 0n && p - exact <= 1n).toBe(true);
          });
        },
      ),
    );
  });
});
