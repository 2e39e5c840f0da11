import { emptyRoot, hashChildren, HASH_SIZE, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import type { NodeStore } from './node-store.js';
import { rangeHashes, type LeafRange } from './perfect-subtrees.js';
import { bytesEqual, firstMalformedHash } from './proof-bytes.js';
import { isSafeSize, splitPoint } from './tree-math.js';
import { fail, OK, type Verdict } from './verdict.js';

/**
 * The subtrees whose hashes form PROOF(first, D[0:second]) = SUBPROOF(first, D[0:second], true)
 * (RFC 9162 §2.1.4.1), in proof order. Pure index arithmetic.
 * Preconditions: 0 <= first <= second. Empty when first is 0 or first equals second.
 */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  assertConsistencyRequest(first, second);
  if (first === 0 || first === second) return [];
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = second;
  let wholeFirstTreeKnown = true; // SUBPROOF's flag b: the verifier already has MTH(D[0:first]).
  for (;;) {
    const m = first - start;
    if (m === end - start) {
      const head: LeafRange[] = wholeFirstTreeKnown ? [] : [{ start, end }];
      return [...head, ...siblings.reverse()];
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      siblings.push({ start: start + k, end });
      end = start + k;
    } else {
      siblings.push({ start, end: start + k });
      start += k;
      wholeFirstTreeKnown = false;
    }
  }
}

/**
 * Consistency proof between tree sizes `first` and `second` from the store: O(log n) node reads
 * in one batch. Preconditions: 0 <= first <= second <= stored size (throws `LedgerError`).
 * The proof is empty when first is 0 or first equals second; otherwise it is non-empty.
 */
export async function consistencyProof(
  store: NodeStore,
  first: number,
  second: number,
): Promise<Uint8Array[]> {
  return rangeHashes(store, consistencyRanges(first, second));
}

export interface ConsistencyClaim {
  hashAlgorithm: HashAlgorithm;
  first: number;
  second: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * Verifies that the tree of size `first` with root `firstRoot` is a prefix of the tree of size
 * `second` with root `secondRoot`, using the algorithm of RFC 9162 §2.1.4.2. Never throws.
 * Degenerate cases (outside the RFC's 0 < first < second): first == second requires an empty
 * proof and equal roots; first == 0 requires an empty proof and `firstRoot` = H("").
 * For 0 < first < second an empty proof is rejected.
 */
export function verifyConsistency(claim: ConsistencyClaim): Verdict {
  const { hashAlgorithm, first, second, firstRoot, secondRoot, proof } = claim;
  if (!isSafeSize(first) || !isSafeSize(second)) return fail('tree sizes must be non-negative integers');
  if (first > second) return fail(`first tree size ${first} is larger than second tree size ${second}`);
  if (firstRoot.length !== HASH_SIZE || secondRoot.length !== HASH_SIZE)
    return fail('root hashes must be 32 bytes');
  const malformed = firstMalformedHash(proof);
  if (malformed >= 0) return fail(`proof element ${malformed} is not a 32-byte hash`);
  if (first === second) {
    if (proof.length > 0) return fail('equal tree sizes need an empty proof');
    return bytesEqual(firstRoot, secondRoot) ? OK : fail('equal tree sizes with different root hashes');
  }
  if (first === 0) {
    if (proof.length > 0) return fail('an empty first tree needs an empty proof');
    return bytesEqual(firstRoot, emptyRoot(hashAlgorithm))
      ? OK
      : fail('the root of an empty tree must be the empty-tree hash');
  }
  if (proof.length === 0) return fail('empty proof for distinct non-zero tree sizes');

  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return fail('proof is longer than needed for these tree sizes');
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(hashAlgorithm, c, fr);
      sr = hashChildren(hashAlgorithm, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(hashAlgorithm, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fail('proof is shorter than needed for these tree sizes');
  if (!bytesEqual(fr, firstRoot)) return fail('the proof does not reproduce the first root hash');
  if (!bytesEqual(sr, secondRoot)) return fail('the proof does not reproduce the second root hash');
  return OK;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

function assertConsistencyRequest(first: number, second: number): void {
  if (!isSafeSize(first) || !isSafeSize(second) || first > second) {
    throw new LedgerError(
      `consistency proof needs 0 <= first <= second, got first ${String(first)}, second ${String(second)}`,
    );
  }
}
