/**
 * Index arithmetic shared by the tree code. Sizes and indexes are JS numbers; all callers
 * keep them below 2^53 (safe integers), so bit tricks go through Math rather than 32-bit ops.
 */

/** Largest power of two strictly less than n (the RFC 9162 split point). Precondition: n >= 2. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Largest power of two less than or equal to n. Precondition: n >= 1. */
export function highestPowerOfTwo(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

export function log2Exact(powerOfTwo: number): number {
  return Math.round(Math.log2(powerOfTwo));
}

export function isSafeSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
