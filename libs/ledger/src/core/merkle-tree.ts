import { emptyRoot, hashLeaf, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import { MerkleFrontier } from './merkle-frontier.js';
import type { NodeStore, StoredNode } from './node-store.js';
import { perfectSubtrees, rangeHashes } from './perfect-subtrees.js';
import { isSafeSize } from './tree-math.js';

/** A tree size with its root hash MTH(D[0:treeSize]). */
export interface TreeRoot {
  treeSize: number;
  rootHash: Uint8Array;
}

/** MTH over leaf hashes held in memory (RFC 9162 §2.1.1); the empty-tree hash for no leaves. */
export function merkleTreeHash(algorithm: HashAlgorithm, leafHashes: readonly Uint8Array[]): Uint8Array {
  const frontier = new MerkleFrontier(algorithm);
  for (const leafHash of leafHashes) frontier.push(leafHash);
  return frontier.root();
}

/** Leaf hashes of raw leaf inputs, H(0x00 || input) each. */
export function hashLeaves(algorithm: HashAlgorithm, leafInputs: readonly Uint8Array[]): Uint8Array[] {
  return leafInputs.map((input) => hashLeaf(algorithm, input));
}

/**
 * Appends leaf hashes at `startIndex` and stores every perfect subtree they complete, computed
 * in memory and written with a single `putNodes` batch. Reads O(log n) frontier nodes.
 *
 * Preconditions: `startIndex` equals the store's current size (no gaps, no overwrites; throws
 * `LedgerError` otherwise); every leaf hash is 32 bytes. Callers serialise appends.
 * Returns the new tree size and root.
 */
export async function appendLeaves(
  store: NodeStore,
  startIndex: number,
  leafHashes: readonly Uint8Array[],
): Promise<TreeRoot> {
  const size = await store.size();
  if (startIndex !== size)
    throw new LedgerError(`append must start at the tree size ${size}, not at ${startIndex}`);
  const frontierKeys = size === 0 ? [] : perfectSubtrees(0, size);
  const frontierHashes = await store.getNodes(frontierKeys);
  if (frontierHashes.some((hash) => hash === undefined))
    throw new LedgerError(`the store lacks frontier nodes of size ${size}`);
  const frontier = new MerkleFrontier(store.hashAlgorithm, size, frontierHashes as Uint8Array[]);

  const byLevel: StoredNode[][] = [];
  const collect = (node: StoredNode): void => {
    (byLevel[node.level] ??= []).push(node);
  };
  for (const leafHash of leafHashes) {
    if (leafHash.length !== 32) throw new LedgerError(`leaf hash ${frontier.size} is not 32 bytes`);
    frontier.push(leafHash, collect);
  }
  await store.putNodes(byLevel.flat());
  return { treeSize: frontier.size, rootHash: frontier.root() };
}

/**
 * MTH(D[0:treeSize]) from the store, reading popcount(treeSize) nodes.
 * Preconditions: 0 <= treeSize <= stored size (throws `LedgerError` otherwise).
 */
export async function rootAt(store: NodeStore, treeSize: number): Promise<Uint8Array> {
  if (!isSafeSize(treeSize)) throw new LedgerError(`invalid tree size ${String(treeSize)}`);
  if (treeSize === 0) return emptyRoot(store.hashAlgorithm);
  const [root] = await rangeHashes(store, [{ start: 0, end: treeSize }]);
  return root;
}
