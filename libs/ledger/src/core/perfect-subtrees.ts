import { hashChildren, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import type { NodeKey, NodeStore } from './node-store.js';
import { highestPowerOfTwo, log2Exact } from './tree-math.js';

/** A leaf range [start, end) of the tree, as used by the RFC 9162 proof definitions. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Decomposes the leaf range [start, end) into perfect subtrees, largest first.
 * MTH(D[start:end]) is then the right fold of their hashes (see `foldSubtrees`).
 *
 * Precondition: start < end, and `start` is a multiple of the largest power of two <= end - start.
 * Every range produced by RFC 9162 MTH/PATH/PROOF recursion from [0, n) satisfies this.
 */
export function perfectSubtrees(start: number, end: number): NodeKey[] {
  if (!(start < end)) throw new LedgerError(`empty leaf range [${start}, ${end})`);
  const keys: NodeKey[] = [];
  let at = start;
  while (at < end) {
    const width = highestPowerOfTwo(end - at);
    if (at % width !== 0)
      throw new LedgerError(`leaf range [${start}, ${end}) is not aligned to the tree's subtrees`);
    keys.push({ level: log2Exact(width), index: at / width });
    at += width;
  }
  return keys;
}

/**
 * MTH of a range from its perfect-subtree hashes (largest first): H(p1, H(p2, ... H(pk-1, pk))).
 * Precondition: `hashes` is non-empty and comes from `perfectSubtrees` of one range.
 */
export function foldSubtrees(algorithm: HashAlgorithm, hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(algorithm, hashes[i], acc);
  return acc;
}

/**
 * MTH(D[start:end]) for each range, reading every needed perfect subtree in one `getNodes` batch. Ranges and nodes
 * that repeat (as in the inclusion paths of several leaves of one tree, which share the subtrees near the root) are
 * read and folded once. Throws `LedgerError` when the store does not (yet) hold a needed node, i.e. a range reaches
 * beyond the stored leaves.
 */
export async function rangeHashes(store: NodeStore, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const rangeSlot = new Map<string, number>();
  const distinct: LeafRange[] = [];
  const slots = ranges.map((range) => {
    const id = `${range.start}:${range.end}`;
    let slot = rangeSlot.get(id);
    if (slot === undefined) {
      slot = distinct.push(range) - 1;
      rangeSlot.set(id, slot);
    }
    return slot;
  });
  const keySlot = new Map<string, number>();
  const keys: NodeKey[] = [];
  const plan = distinct.map((range) =>
    perfectSubtrees(range.start, range.end).map((key) => {
      const id = `${key.level}:${key.index}`;
      let slot = keySlot.get(id);
      if (slot === undefined) {
        slot = keys.push(key) - 1;
        keySlot.set(id, slot);
      }
      return slot;
    }),
  );
  const nodes = await store.getNodes(keys);
  const folded = plan.map((keyIndexes, i) => {
    const hashes = keyIndexes.map((k) => nodes[k]);
    if (hashes.some((hash) => hash === undefined)) {
      throw new LedgerError(`the store does not hold leaves [${distinct[i].start}, ${distinct[i].end})`);
    }
    return foldSubtrees(store.hashAlgorithm, hashes as Uint8Array[]);
  });
  return slots.map((slot) => folded[slot]);
}
