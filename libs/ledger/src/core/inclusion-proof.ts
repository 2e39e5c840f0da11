import { hashChildren, HASH_SIZE, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import type { NodeStore } from './node-store.js';
import { rangeHashes, type LeafRange } from './perfect-subtrees.js';
import { bytesEqual, firstMalformedHash } from './proof-bytes.js';
import { isSafeSize, splitPoint } from './tree-math.js';
import { fail, OK, type Verdict } from './verdict.js';

/**
 * The subtrees whose hashes form PATH(leafIndex, D[0:treeSize]) (RFC 9162 §2.1.3.1), ordered
 * from the leaf's sibling up to the root's other child. Pure index arithmetic.
 * Preconditions: 0 <= leafIndex < treeSize.
 */
export function inclusionRanges(leafIndex: number, treeSize: number): LeafRange[] {
  assertInclusionRequest(leafIndex, treeSize);
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (leafIndex - start < k) {
      siblings.push({ start: start + k, end });
      end = start + k;
    } else {
      siblings.push({ start, end: start + k });
      start += k;
    }
  }
  return siblings.reverse();
}

/**
 * Inclusion proof PATH(leafIndex, D[0:treeSize]) from the store: O(log n) node reads in one batch.
 * Preconditions: 0 <= leafIndex < treeSize <= stored size (throws `LedgerError` otherwise).
 * The path is empty exactly when treeSize is 1 (the leaf hash is then the root).
 */
export async function inclusionProof(
  store: NodeStore,
  leafIndex: number,
  treeSize: number,
): Promise<Uint8Array[]> {
  return rangeHashes(store, inclusionRanges(leafIndex, treeSize));
}

/**
 * Inclusion proofs of several leaves in one tree, from one `getNodes` batch: the subtrees their paths share are read
 * and folded once. Element for element the same as `inclusionProof(store, leafIndex, treeSize)` for each leaf, in
 * the order of `leafIndexes` (which may repeat).
 * Preconditions: 0 <= leafIndex < treeSize <= stored size for each leaf (throws `LedgerError` otherwise).
 */
export async function inclusionProofs(
  store: NodeStore,
  leafIndexes: readonly number[],
  treeSize: number,
): Promise<Uint8Array[][]> {
  const paths = leafIndexes.map((leafIndex) => inclusionRanges(leafIndex, treeSize));
  const hashes = await rangeHashes(store, paths.flat());
  let cursor = 0;
  return paths.map((path) => hashes.slice(cursor, (cursor += path.length)));
}

export interface InclusionClaim {
  hashAlgorithm: HashAlgorithm;
  leafIndex: number;
  treeSize: number;
  /** H(0x00 || leafInput) of the leaf claimed to be at `leafIndex`. */
  leafHash: Uint8Array;
  /** Inclusion path, leaf's sibling first. Empty only for a tree of size 1. */
  proof: readonly Uint8Array[];
  /** Root hash of the tree of size `treeSize`, e.g. from a signed tree head. */
  rootHash: Uint8Array;
}

/**
 * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2. Never throws: any
 * malformed or inconsistent input gives `{ ok: false, reason }`.
 * Requires 0 <= leafIndex < treeSize and that the path has exactly the RFC length for that pair.
 */
export function verifyInclusion(claim: InclusionClaim): Verdict {
  const { hashAlgorithm, leafIndex, treeSize, leafHash, proof, rootHash } = claim;
  if (!isSafeSize(leafIndex) || !isSafeSize(treeSize))
    return fail('leaf index and tree size must be non-negative integers');
  if (leafIndex >= treeSize) return fail(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  if (leafHash.length !== HASH_SIZE || rootHash.length !== HASH_SIZE)
    return fail('leaf hash and root hash must be 32 bytes');
  const malformed = firstMalformedHash(proof);
  if (malformed >= 0) return fail(`proof element ${malformed} is not a 32-byte hash`);

  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return fail('proof is longer than the path for this leaf index and tree size');
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(hashAlgorithm, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(hashAlgorithm, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fail('proof is shorter than the path for this leaf index and tree size');
  if (!bytesEqual(r, rootHash))
    return fail('the root computed from the leaf and proof does not match the root hash');
  return OK;
}

function assertInclusionRequest(leafIndex: number, treeSize: number): void {
  if (!isSafeSize(leafIndex) || !isSafeSize(treeSize) || leafIndex >= treeSize) {
    throw new LedgerError(
      `inclusion proof needs 0 <= leafIndex < treeSize, got leafIndex ${String(leafIndex)}, treeSize ${String(treeSize)}`,
    );
  }
}
