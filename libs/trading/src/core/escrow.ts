import type { BillingUnit } from '@app/compliance';
import type { EscrowState } from './contract-transitions.js';

/**
 * A contract's escrow as settlement holds (TigerBeetle's two-phase transfers): one hold `<contractId>` for a
 * one-off or subscription contract, one hold per computation `<contractId>.u<n>` (n = 1 … computations) for
 * per-computation billing, so each released result posts exactly its own unit and unused units are voided back.
 */

/** How long the buyer has to confirm delivery (or dispute) before the platform releases the escrow as confirmed. */
export const DEFAULT_DELIVERY_WINDOW_DAYS = 7;

const DAY_MS = 86_400_000;

/** The hold of unit `n` (1-based) of a per-computation contract. */
export const unitHoldId = (contractId: string, n: number): string => `${contractId}.u${n}`;

/** The fields of a contract the escrow rules read (the entity has them; the core depends on no ORM). */
export interface EscrowContract {
  id: string;
  amountFen: bigint;
  terms: { billingUnit: BillingUnit; priceFen: string; computations: number | null; periodDays: number };
  computationsUsed: number;
}

/** The holds funding makes: each id with its amount in fen. Their sum is the contract's amount. */
export function fundingHolds(c: EscrowContract): { holdId: string; amount: bigint }[] {
  if (c.terms.billingUnit !== 'per-computation') return [{ holdId: c.id, amount: c.amountFen }];
  const units = c.terms.computations ?? 0;
  const price = BigInt(c.terms.priceFen);
  return Array.from({ length: units }, (_, i) => ({ holdId: unitHoldId(c.id, i + 1), amount: price }));
}

/** Per-computation: the unit holds not yet posted (units after `computationsUsed`). */
export function pendingUnitHolds(c: EscrowContract): { holdId: string; amount: bigint }[] {
  return fundingHolds(c).slice(c.computationsUsed);
}

export const isMetered = (c: Pick<EscrowContract, 'terms'>): boolean =>
  c.terms.billingUnit === 'per-computation';

/**
 * The dates funding sets: access runs `periodDays` from funding; the escrow of a one-off or subscription contract
 * is released `deliveryWindowDays` after funding (never after the period's end) unless the buyer confirms or
 * disputes first. A per-computation contract has no delivery timeout: each unit is paid when its result is
 * released, and units unused at the period's end return to the buyer.
 */
export function fundingDates(
  c: Pick<EscrowContract, 'terms'>,
  fundedAt: Date,
  deliveryWindowDays = DEFAULT_DELIVERY_WINDOW_DAYS,
): { endsAt: Date; deliveryDueAt: Date | null } {
  const endsAt = new Date(fundedAt.getTime() + c.terms.periodDays * DAY_MS);
  if (isMetered(c)) return { endsAt, deliveryDueAt: null };
  const due = new Date(fundedAt.getTime() + deliveryWindowDays * DAY_MS);
  return { endsAt, deliveryDueAt: due < endsAt ? due : endsAt };
}

/**
 * What became of the buyer's money once nothing is held any more: all paid out (`released`), all returned
 * (`refunded`), or part each (`split`: a dispute's split, or a per-computation contract ending with units unused).
 */
export function escrowAfter(paidOut: boolean, returned: boolean): EscrowState {
  if (paidOut && returned) return 'split';
  return paidOut ? 'released' : 'refunded';
}

/**
 * The merchant side's part of a split decision: `amount × (10000 − buyerShareBasisPoints) / 10000`, rounded down
 * (the fraction of a fen stays with the buyer). Precondition: 0 ≤ buyerShareBasisPoints ≤ 10000, amount ≥ 0.
 */
export const sellerPartOf = (amount: bigint, buyerShareBasisPoints: number): bigint =>
  (amount * BigInt(10_000 - buyerShareBasisPoints)) / 10_000n;

/**
 * Spreads `total` fen over holds of the given amounts, as evenly as the fen allow: each gets its share rounded
 * down, the remainder fen one each to the earliest. No part exceeds its hold. Precondition: 0 ≤ total ≤ the sum.
 */
export function spreadOverHolds(total: bigint, amounts: readonly bigint[]): bigint[] {
  const sum = amounts.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return amounts.map(() => 0n);
  const parts = amounts.map((a) => (total * a) / sum);
  let remainder = total - parts.reduce((a, b) => a + b, 0n);
  for (let i = 0; remainder > 0n; i = (i + 1) % parts.length) {
    if (parts[i] < amounts[i]) {
      parts[i] += 1n;
      remainder--;
    }
  }
  return parts;
}
