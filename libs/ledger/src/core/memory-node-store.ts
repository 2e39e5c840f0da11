import { hash } from 'node:crypto';
import { HASH_SIZE, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import type { NodeKey, NodeStore, StoredNode } from './node-store.js';

/** One tree level: `count` hashes of 32 bytes laid end to end in a growable buffer. */
interface Level {
  bytes: Uint8Array;
  count: number;
}

/**
 * In-memory `NodeStore`: one contiguous byte buffer per level (about 64 bytes per leaf in total).
 * Used by tests, benchmarks and the offline export verifier.
 */
export class MemoryNodeStore implements NodeStore {
  private readonly levels: Level[] = [];

  constructor(readonly hashAlgorithm: HashAlgorithm) {}

  async size(): Promise<number> {
    return this.levels[0]?.count ?? 0;
  }

  async getNodes(keys: readonly NodeKey[]): Promise<(Uint8Array | undefined)[]> {
    return keys.map((key) => this.getNode(key.level, key.index));
  }

  /** Synchronous single read; `undefined` when the node does not exist. The result is a view. */
  getNode(level: number, index: number): Uint8Array | undefined {
    const stored = this.levels[level];
    if (!stored || !Number.isInteger(index) || index < 0 || index >= stored.count) return undefined;
    return stored.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  async putNodes(nodes: readonly StoredNode[]): Promise<void> {
    // Validate the whole batch before writing anything, so a bad batch leaves the store unchanged.
    const pending = new Map<number, number>();
    for (const node of nodes) {
      const expected = pending.get(node.level) ?? this.levels[node.level]?.count ?? 0;
      if (node.index !== expected) {
        throw new LedgerError(
          `node (${node.level}, ${node.index}) is not the next node of its level (expected index ${expected})`,
        );
      }
      if (node.hash.length !== HASH_SIZE)
        throw new LedgerError(`node (${node.level}, ${node.index}) hash is not ${HASH_SIZE} bytes`);
      pending.set(node.level, expected + 1);
    }
    for (const [level, newCount] of pending) this.reserve(level, newCount);
    for (const node of nodes) {
      const stored = this.levels[node.level];
      stored.bytes.set(node.hash, node.index * HASH_SIZE);
      stored.count = node.index + 1;
    }
  }

  /**
   * Synchronous bulk append of leaf hashes packed end to end (`packed.length` a multiple of 32):
   * stores them at level 0 and computes every perfect subtree they complete, level by level,
   * without per-node objects. Same nodes as `appendLeaves(store, size, hashes)`; the offline
   * export verifier's main thread uses it to keep up with its worker threads.
   */
  appendLeafHashes(packed: Uint8Array): void {
    if (packed.length % HASH_SIZE !== 0)
      throw new LedgerError(`packed leaf hashes must be a multiple of ${HASH_SIZE} bytes`);
    const added = packed.length / HASH_SIZE;
    if (added === 0) return;
    const leaves = this.levels[0]?.count ?? 0;
    this.reserve(0, leaves + added);
    this.levels[0].bytes.set(packed, leaves * HASH_SIZE);
    this.levels[0].count = leaves + added;
    const input = Buffer.allocUnsafe(1 + 2 * HASH_SIZE);
    input[0] = 0x01;
    for (let level = 0; ; level++) {
      const children = this.levels[level];
      const parents = Math.floor(children.count / 2);
      if (parents === 0) return;
      const existing = this.levels[level + 1]?.count ?? 0;
      if (existing === parents) return;
      this.reserve(level + 1, parents);
      const parent = this.levels[level + 1];
      const from = children.bytes;
      for (let i = existing; i < parents; i++) {
        input.set(from.subarray(2 * i * HASH_SIZE, (2 * i + 2) * HASH_SIZE), 1);
        parent.bytes.set(hash(this.hashAlgorithm, input, 'buffer'), i * HASH_SIZE);
      }
      parent.count = parents;
    }
  }

  private reserve(level: number, count: number): void {
    while (this.levels.length <= level)
      this.levels.push({ bytes: new Uint8Array(1024 * HASH_SIZE), count: 0 });
    const stored = this.levels[level];
    if (stored.bytes.length >= count * HASH_SIZE) return;
    let capacity = stored.bytes.length;
    while (capacity < count * HASH_SIZE) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(stored.bytes.subarray(0, stored.count * HASH_SIZE));
    stored.bytes = grown;
  }
}
