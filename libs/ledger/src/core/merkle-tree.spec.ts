import { consistencyProof, verifyConsistency } from './consistency-proof.js';
import { hashLeaf, type HashAlgorithm } from './hash-algorithm.js';
import { inclusionProof, verifyInclusion } from './inclusion-proof.js';
import { LedgerError } from './ledger-error.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { appendLeaves, merkleTreeHash, rootAt } from './merkle-tree.js';
import type { NodeKey, NodeStore, StoredNode } from './node-store.js';
import { refMth, refPath, refProof, sampleLeafInputs, toHex } from './rfc9162-reference.fixture.js';

const MAX_SIZE = 64;

/** Appends in irregular batch sizes, so batch boundaries fall everywhere. */
async function buildStore(
  algorithm: HashAlgorithm,
  leafInputs: readonly Uint8Array[],
): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore(algorithm);
  const hashes = leafInputs.map((input) => hashLeaf(algorithm, input));
  let at = 0;
  for (let batch = 1; at < hashes.length; batch = (batch * 3 + 1) % 11) {
    const result = await appendLeaves(store, at, hashes.slice(at, at + batch));
    at = result.treeSize;
    expect(toHex(result.rootHash)).toBe(toHex(refMth(algorithm, leafInputs.slice(0, at))));
  }
  return store;
}

/** Wraps a store and records every read, to check proofs cost one batch of O(log n) nodes. */
class CountingStore implements NodeStore {
  readonly batches: number[] = [];
  constructor(private readonly inner: NodeStore) {}
  get hashAlgorithm(): HashAlgorithm {
    return this.inner.hashAlgorithm;
  }
  size(): Promise<number> {
    return this.inner.size();
  }
  getNodes(keys: readonly NodeKey[]): Promise<(Uint8Array | undefined)[]> {
    this.batches.push(keys.length);
    return this.inner.getNodes(keys);
  }
  putNodes(nodes: readonly StoredNode[]): Promise<void> {
    return this.inner.putNodes(nodes);
  }
}

describe.each<HashAlgorithm>(['sha256', 'sm3'])(
  'store-based tree (%s) against the RFC 9162 reference',
  (algorithm) => {
    const leafInputs = sampleLeafInputs(MAX_SIZE);
    let store: MemoryNodeStore;
    beforeAll(async () => {
      store = await buildStore(algorithm, leafInputs);
    });

    it('gives the reference root for every size', async () => {
      for (let n = 0; n <= MAX_SIZE; n++) {
        const expected = toHex(refMth(algorithm, leafInputs.slice(0, n)));
        expect(toHex(await rootAt(store, n))).toBe(expected);
        expect(
          toHex(
            merkleTreeHash(
              algorithm,
              leafInputs.slice(0, n).map((d) => hashLeaf(algorithm, d)),
            ),
          ),
        ).toBe(expected);
      }
    });

    it('gives the reference inclusion proof for every (index, size), and each verifies', async () => {
      for (let n = 1; n <= MAX_SIZE; n++) {
        const tree = leafInputs.slice(0, n);
        const root = refMth(algorithm, tree);
        for (let m = 0; m < n; m++) {
          const proof = await inclusionProof(store, m, n);
          expect(proof.map(toHex)).toEqual(refPath(algorithm, m, tree).map((e) => toHex(e.hash)));
          const verdict = verifyInclusion({
            hashAlgorithm: algorithm,
            leafIndex: m,
            treeSize: n,
            leafHash: hashLeaf(algorithm, tree[m]),
            proof,
            rootHash: root,
          });
          expect(verdict).toEqual({ ok: true });
        }
      }
    });

    it('gives the reference consistency proof for every (first, second), and each verifies', async () => {
      for (let n = 1; n <= MAX_SIZE; n++) {
        const tree = leafInputs.slice(0, n);
        const root = refMth(algorithm, tree);
        for (let m = 0; m <= n; m++) {
          const proof = await consistencyProof(store, m, n);
          expect(proof.map(toHex)).toEqual(m === 0 ? [] : refProof(algorithm, m, tree).map(toHex));
          const firstRoot = refMth(algorithm, tree.slice(0, m));
          expect(
            verifyConsistency({
              hashAlgorithm: algorithm,
              first: m,
              second: n,
              firstRoot,
              secondRoot: root,
              proof,
            }),
          ).toEqual({ ok: true });
        }
      }
    });
  },
);

describe('appendLeaves', () => {
  it('stores the same nodes whatever the batching', async () => {
    const inputs = sampleLeafInputs(37);
    const oneByOne = new MemoryNodeStore('sha256');
    for (let i = 0; i < inputs.length; i++) await appendLeaves(oneByOne, i, [hashLeaf('sha256', inputs[i])]);
    const batched = await buildStore('sha256', inputs);
    const allKeys: NodeKey[] = [];
    for (let level = 0; level <= 6; level++)
      for (let index = 0; index <= 37 >> level; index++) allKeys.push({ level, index });
    const a = (await oneByOne.getNodes(allKeys)).map((h) => (h ? toHex(h) : '-'));
    const b = (await batched.getNodes(allKeys)).map((h) => (h ? toHex(h) : '-'));
    expect(b).toEqual(a);
    expect(a.filter((h) => h !== '-')).toHaveLength(37 + 18 + 9 + 4 + 2 + 1);
  });

  it('MemoryNodeStore.appendLeafHashes stores the same nodes as appendLeaves, whatever the batching', async () => {
    const inputs = sampleLeafInputs(MAX_SIZE + 37);
    const reference = await buildStore('sha256', inputs);
    const packed = Buffer.concat(inputs.map((input) => hashLeaf('sha256', input)));
    const bulk = new MemoryNodeStore('sha256');
    for (let at = 0, batch = 1; at < inputs.length; at += batch, batch = (batch * 5 + 2) % 13) {
      bulk.appendLeafHashes(packed.subarray(at * 32, Math.min(inputs.length, at + batch) * 32));
    }
    const allKeys: NodeKey[] = [];
    for (let level = 0; level <= 7; level++)
      for (let index = 0; index <= inputs.length >> level; index++) allKeys.push({ level, index });
    const a = (await reference.getNodes(allKeys)).map((h) => (h ? toHex(h) : '-'));
    const b = (await bulk.getNodes(allKeys)).map((h) => (h ? toHex(h) : '-'));
    expect(b).toEqual(a);
    expect(await bulk.size()).toBe(inputs.length);
    expect(() => bulk.appendLeafHashes(new Uint8Array(33))).toThrow(LedgerError);
  });

  it('refuses gaps and overwrites', async () => {
    const store = await buildStore('sha256', sampleLeafInputs(5));
    const leaf = hashLeaf('sha256', Uint8Array.of(1));
    await expect(appendLeaves(store, 6, [leaf])).rejects.toThrow(LedgerError);
    await expect(appendLeaves(store, 4, [leaf])).rejects.toThrow(LedgerError);
    await expect(appendLeaves(store, 5, [new Uint8Array(31)])).rejects.toThrow(LedgerError);
    expect(await store.size()).toBe(5);
  });

  it('leaves the memory store unchanged when a batch is invalid', async () => {
    const store = await buildStore('sha256', sampleLeafInputs(3));
    const before = toHex(await rootAt(store, 3));
    await expect(
      store.putNodes([
        { level: 0, index: 3, hash: new Uint8Array(32) },
        { level: 0, index: 5, hash: new Uint8Array(32) },
      ]),
    ).rejects.toThrow(LedgerError);
    expect(await store.size()).toBe(3);
    expect(toHex(await rootAt(store, 3))).toBe(before);
  });
});

describe('proof preconditions', () => {
  let store: MemoryNodeStore;
  beforeAll(async () => {
    store = await buildStore('sha256', sampleLeafInputs(10));
  });

  it.each([
    [-1, 5],
    [5, 5],
    [0, 0],
    [1.5, 5],
    [0, 11],
  ])('inclusionProof(%p, %p) throws', async (m, n) => {
    await expect(inclusionProof(store, m, n)).rejects.toThrow(LedgerError);
  });

  it.each([
    [3, 2],
    [-1, 4],
    [2, 11],
  ])('consistencyProof(%p, %p) throws', async (first, second) => {
    await expect(consistencyProof(store, first, second)).rejects.toThrow(LedgerError);
  });

  it('rootAt beyond the stored size throws', async () => {
    await expect(rootAt(store, 11)).rejects.toThrow(LedgerError);
  });

  it('an empty path means a tree of one leaf', async () => {
    expect(await inclusionProof(store, 0, 1)).toEqual([]);
    expect(await consistencyProof(store, 4, 4)).toEqual([]);
    expect(await consistencyProof(store, 0, 4)).toEqual([]);
  });
});

describe('proof cost', () => {
  it('reads O(log n) nodes in a single batch per proof', async () => {
    const n = 100_003;
    const store = new MemoryNodeStore('sha256');
    const hashes = Array.from({ length: n }, (_, i) =>
      hashLeaf('sha256', Uint8Array.of(i & 0xff, i >> 8, i >> 16)),
    );
    await appendLeaves(store, 0, hashes);
    const counting = new CountingStore(store);
    const bound = 2 * Math.ceil(Math.log2(n)) + 2;
    for (const [m, size] of [
      [0, n],
      [n - 1, n],
      [54_321, n],
      [12_345, 99_999],
    ] as const) {
      counting.batches.length = 0;
      await inclusionProof(counting, m, size);
      expect(counting.batches).toHaveLength(1);
      expect(counting.batches[0]).toBeLessThanOrEqual(bound);
    }
    for (const [first, second] of [
      [1, n],
      [65_537, n],
      [n - 1, n],
      [33_333, 77_777],
    ] as const) {
      counting.batches.length = 0;
      await consistencyProof(counting, first, second);
      expect(counting.batches).toHaveLength(1);
      expect(counting.batches[0]).toBeLessThanOrEqual(bound);
    }
  });
});
