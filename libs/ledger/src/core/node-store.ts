import type { HashAlgorithm } from './hash-algorithm.js';

/**
 * Address of a perfect subtree: level k, index i covers leaves [i·2^k, (i+1)·2^k).
 * Level 0 nodes are the leaf hashes themselves.
 */
export interface NodeKey {
  readonly level: number;
  readonly index: number;
}

/** A perfect-subtree hash with its address. */
export interface StoredNode extends NodeKey {
  readonly hash: Uint8Array;
}

/**
 * Persistence of a Merkle tree as the hashes of all its perfect (complete) subtrees.
 *
 * A node (level k, index i) exists exactly when leaves [0, (i+1)·2^k) have been appended;
 * nodes are never updated or deleted. With this representation any MTH(D[a:b]) a proof
 * needs is a fold of at most ~2·log2(n) stored nodes, so proofs cost O(log n) reads and one
 * round trip (`getNodes` is batched). The tree functions (`appendLeaves`, `rootAt`,
 * `inclusionProof`, `consistencyProof`) are written against this interface only.
 */
export interface NodeStore {
  /** Hash algorithm of every node in the store; fixed for the store's lifetime. */
  readonly hashAlgorithm: HashAlgorithm;

  /** Number of leaves appended so far (= number of level-0 nodes). */
  size(): Promise<number>;

  /**
   * Fetches nodes by address, in one round trip. Returns an array of the same length and order
   * as `keys`; an entry is `undefined` when that node does not exist (yet). Keys may repeat.
   * Returned arrays must be treated as read-only by callers (implementations may return views).
   */
  getNodes(keys: readonly NodeKey[]): Promise<(Uint8Array | undefined)[]>;

  /**
   * Inserts new nodes atomically: either all are stored or none (throw). The batch is sorted by
   * level, then index; within a level, indexes are consecutive and start exactly at that level's
   * current node count (the store is append-only per level). Writing an existing address is a
   * contract violation and must throw (a SQL store gets this from a primary key on (level, index)).
   * Callers serialise appends (one writer at a time, e.g. under a transaction-scoped lock).
   */
  putNodes(nodes: readonly StoredNode[]): Promise<void>;
}
