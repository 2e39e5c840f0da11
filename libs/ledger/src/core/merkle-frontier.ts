import { emptyRoot, hashChildren, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import type { StoredNode } from './node-store.js';
import { perfectSubtrees } from './perfect-subtrees.js';

/**
 * The right edge of a growing tree: the perfect subtrees of [0, size), largest first (at most
 * one per level, one per set bit of `size`). Appending a leaf merges equal-level subtrees like
 * a binary counter, yielding every newly completed perfect subtree; the root at any moment is
 * the right fold of the frontier. Memory is O(log n).
 */
export class MerkleFrontier {
  private readonly levels: number[] = [];
  private readonly hashes: Uint8Array[] = [];
  private count: number;

  /**
   * @param size number of leaves already in the tree
   * @param hashes hashes of `perfectSubtrees(0, size)`, in that order (empty when size is 0)
   */
  constructor(
    readonly hashAlgorithm: HashAlgorithm,
    size = 0,
    hashes: readonly Uint8Array[] = [],
  ) {
    const keys = size === 0 ? [] : perfectSubtrees(0, size);
    if (keys.length !== hashes.length)
      throw new LedgerError(`a frontier of size ${size} needs ${keys.length} hashes, got ${hashes.length}`);
    keys.forEach((key, i) => {
      this.levels.push(key.level);
      this.hashes.push(hashes[i]);
    });
    this.count = size;
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash; `onNode` receives the leaf and each perfect subtree it completes. */
  push(leafHash: Uint8Array, onNode?: (node: StoredNode) => void): void {
    let hash = leafHash;
    let level = 0;
    let index = this.count;
    onNode?.({ level, index, hash });
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      hash = hashChildren(this.hashAlgorithm, this.hashes.pop()!, hash);
      level += 1;
      index = Math.floor(index / 2);
      onNode?.({ level, index, hash });
    }
    this.levels.push(level);
    this.hashes.push(hash);
    this.count += 1;
  }

  /** MTH(D[0:size]); the empty-tree hash when no leaf has been appended. */
  root(): Uint8Array {
    if (this.hashes.length === 0) return emptyRoot(this.hashAlgorithm);
    let acc = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--)
      acc = hashChildren(this.hashAlgorithm, this.hashes[i], acc);
    return acc;
  }
}
