import { WHOLE_BASIS_POINTS } from './amount.js';
import { SettlementError } from './settlement-error.js';

/**
 * How proceeds are shared (DE 43, "谁投入、谁贡献、谁受益"): the platform's fee and, for public data, the
 * public-resource fee (DE 36) come off the top; the rest goes to the rights holders by their registered shares.
 */
export interface RevenueSplit {
  platformFeeBasisPoints: number;
  publicResourceFeeBasisPoints: number;
  /** Each holder once, shares in basis points summing to 10,000. Order matters only for the remainder fen. */
  shares: readonly { organisationId: string; basisPoints: number }[];
}

export interface SplitAmounts {
  platformFee: bigint;
  publicResourceFee: bigint;
  parts: { organisationId: string; amount: bigint }[];
}

const isBasisPoints = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= WHOLE_BASIS_POINTS;

/** Throws `invalid_split` unless the split is well-formed. */
export function requireSplit(split: RevenueSplit): RevenueSplit {
  const bad = (why: string) => new SettlementError('invalid', 'invalid_split', `revenue split: ${why}`);
  if (!isBasisPoints(split.platformFeeBasisPoints) || !isBasisPoints(split.publicResourceFeeBasisPoints))
    throw bad('fees are whole basis points from 0 to 10000');
  if (split.platformFeeBasisPoints + split.publicResourceFeeBasisPoints > WHOLE_BASIS_POINTS)
    throw bad('the fees together exceed the whole');
  if (split.shares.length === 0 || split.shares.length > 100) throw bad('give 1 to 100 shares');
  if (split.shares.some((s) => !Number.isInteger(s.basisPoints) || s.basisPoints <= 0))
    throw bad('each share is a positive whole number of basis points');
  if (new Set(split.shares.map((s) => s.organisationId)).size !== split.shares.length)
    throw bad('each rights holder appears once');
  const total = split.shares.reduce((sum, s) => sum + s.basisPoints, 0);
  if (total !== WHOLE_BASIS_POINTS) throw bad(`the shares sum to ${total} basis points, not 10000`);
  return split;
}

/**
 * Splits `amount` fen. Fees are rounded down (a holder never pays a fraction of a fen in fees); the rest is shared
 * by `allocate`. Precondition: `requireSplit(split)` and `amount >= 0`. The parts and fees always sum to `amount`.
 */
export function splitRevenue(amount: bigint, split: RevenueSplit): SplitAmounts {
  const whole = BigInt(WHOLE_BASIS_POINTS);
  const platformFee = (amount * BigInt(split.platformFeeBasisPoints)) / whole;
  const publicResourceFee = (amount * BigInt(split.publicResourceFeeBasisPoints)) / whole;
  const rest = amount - platformFee - publicResourceFee;
  const amounts = allocate(
    rest,
    split.shares.map((s) => s.basisPoints),
  );
  return {
    platformFee,
    publicResourceFee,
    parts: split.shares.map((s, i) => ({ organisationId: s.organisationId, amount: amounts[i] })),
  };
}

/**
 * Splits `amount` by positive integer weights by the largest remainder: each part is rounded down, then the
 * remainder fen go one each to the parts with the largest fractions of a fen (ties to the earlier part). The
 * fractions sum to the remainder, so more parts than the remainder have one: a part whose share is already whole
 * never gets an extra fen, every part is strictly within one fen of its exact share, and the parts sum to `amount`.
 * Precondition: `amount >= 0`, weights positive integers.
 */
export function allocate(amount: bigint, weights: readonly number[]): bigint[] {
  const total = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  const parts = weights.map((w) => (amount * BigInt(w)) / total);
  const fractions = weights.map((w, i) => ({ i, fraction: (amount * BigInt(w)) % total }));
  fractions.sort((a, b) => (a.fraction === b.fraction ? a.i - b.i : a.fraction > b.fraction ? -1 : 1));
  const remainder = Number(amount - parts.reduce((sum, p) => sum + p, 0n));
  for (const { i } of fractions.slice(0, remainder)) parts[i] += 1n;
  return parts;
}
