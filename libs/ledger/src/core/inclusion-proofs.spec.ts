import fc from 'fast-check';
import { hashLeaf } from './hash-algorithm.js';
import { inclusionProof, inclusionProofs, verifyInclusion } from './inclusion-proof.js';
import { LedgerError } from './ledger-error.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { appendLeaves, rootAt } from './merkle-tree.js';
import type { NodeKey, NodeStore } from './node-store.js';

const leafHashOf = (i: number) => hashLeaf('sha256', Buffer.from(`entry ${i}`));

async function storeOf(size: number): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore('sha256');
  await appendLeaves(
    store,
    0,
    Array.from({ length: size }, (_, i) => leafHashOf(i)),
  );
  return store;
}

/** Records each `getNodes` batch, to check a page of proofs is one read with no node asked twice. */
function counting(inner: NodeStore): NodeStore & { batches: NodeKey[][] } {
  const batches: NodeKey[][] = [];
  return {
    hashAlgorithm: inner.hashAlgorithm,
    batches,
    size: () => inner.size(),
    getNodes: (keys) => {
      batches.push([...keys]);
      return inner.getNodes(keys);
    },
    putNodes: (nodes) => inner.putNodes(nodes),
  };
}

const hex = (path: readonly Uint8Array[]) => path.map((h) => Buffer.from(h).toString('hex'));

/** A stored tree, a head size within it, and a page of leaf indexes below the head (ascending, or any order). */
const pageArb = fc
  .record({ stored: fc.integer({ min: 1, max: 600 }), headBack: fc.nat({ max: 40 }) })
  .chain(({ stored, headBack }) => {
    const treeSize = Math.max(1, stored - headBack);
    return fc.record({
      stored: fc.constant(stored),
      treeSize: fc.constant(treeSize),
      leaves: fc.oneof(
        fc.uniqueArray(fc.nat({ max: treeSize - 1 }), { maxLength: 100 }).map((a) => a.sort((x, y) => x - y)),
        fc.array(fc.nat({ max: treeSize - 1 }), { maxLength: 30 }),
      ),
    });
  });

describe('inclusion proofs of a page of leaves', () => {
  it('equal the per-leaf proofs, from one read that asks no node twice, and verify against the root', async () => {
    const stores = new Map<number, MemoryNodeStore>();
    await fc.assert(
      fc.asyncProperty(pageArb, async ({ stored, treeSize, leaves }) => {
        const store = stores.get(stored) ?? (await storeOf(stored));
        stores.set(stored, store);
        const counted = counting(store);
        const batched = await inclusionProofs(counted, leaves, treeSize);
        expect(counted.batches.length).toBe(1);
        const asked = counted.batches[0].map((k) => `${k.level}:${k.index}`);
        expect(new Set(asked).size).toBe(asked.length);
        const root = await rootAt(store, treeSize);
        expect(batched).toHaveLength(leaves.length);
        for (const [i, leafIndex] of leaves.entries()) {
          expect(hex(batched[i])).toEqual(hex(await inclusionProof(store, leafIndex, treeSize)));
          const verdict = verifyInclusion({
            hashAlgorithm: 'sha256',
            leafIndex,
            treeSize,
            leafHash: leafHashOf(leafIndex),
            proof: batched[i],
            rootHash: root,
          });
          expect(verdict).toEqual({ ok: true });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuse a leaf at or beyond the tree size, and a tree beyond the stored leaves', async () => {
    const store = await storeOf(10);
    await expect(inclusionProofs(store, [2, 8], 8)).rejects.toThrow(LedgerError);
    await expect(inclusionProofs(store, [2], 12)).rejects.toThrow(/does not hold leaves/);
  });
});
