import { consistencyProof, verifyConsistency } from './consistency-proof.js';
import { digest, emptyRoot, hashLeaf, type HashAlgorithm } from './hash-algorithm.js';
import { inclusionProof, verifyInclusion } from './inclusion-proof.js';
import { decodeLeafInput, encodeLeafInput } from './leaf-encoding.js';
import type { LedgerEntry } from './ledger-entry.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { appendLeaves, merkleTreeHash, rootAt } from './merkle-tree.js';
import { fromHex, toHex, vectorFiles } from './rfc9162-reference.fixture.js';

interface TreeVectors {
  hashAlgorithm: HashAlgorithm;
  leafInputs: string[];
  roots: string[];
  inclusionProofs: { leafIndex: number; treeSize: number; path: string[] }[];
  consistencyProofs: { first: number; second: number; path: string[] }[];
}
interface DigestVectors {
  cases: { hashAlgorithm: HashAlgorithm; text: string; digest: string; source: string }[];
}
interface EncodingVectors {
  cases: { entry: LedgerEntry; canonical: string }[];
}

const treeFiles = vectorFiles<TreeVectors>('merkle-tree');
const digestFiles = vectorFiles<DigestVectors>('digest');
const encodingFiles = vectorFiles<EncodingVectors>('leaf-encoding');

it('finds the vector files', () => {
  expect(treeFiles.length).toBeGreaterThan(0);
  expect(digestFiles.length).toBeGreaterThan(0);
  expect(encodingFiles.length).toBeGreaterThan(0);
});

describe.each(digestFiles)('digest known answers in $file', ({ data }) => {
  it.each(data.cases)('$hashAlgorithm("$text") per $source', ({ hashAlgorithm, text, digest: expected }) => {
    expect(toHex(digest(hashAlgorithm, new TextEncoder().encode(text)))).toBe(expected);
  });
});

describe.each(treeFiles)('Merkle tree vectors in $file', ({ data }) => {
  const algorithm = data.hashAlgorithm;
  const leafHashes = data.leafInputs.map((hex) => hashLeaf(algorithm, fromHex(hex)));

  async function storeOf(size: number): Promise<MemoryNodeStore> {
    const store = new MemoryNodeStore(algorithm);
    await appendLeaves(store, 0, leafHashes.slice(0, size));
    return store;
  }

  it('empty tree root is H("")', () => {
    expect(toHex(emptyRoot(algorithm))).toBe(data.roots[0]);
  });

  it.each(data.roots.map((root, size) => ({ size, root })))('root of size $size', async ({ size, root }) => {
    expect(toHex(merkleTreeHash(algorithm, leafHashes.slice(0, size)))).toBe(root);
    expect(toHex(await rootAt(await storeOf(data.leafInputs.length), size))).toBe(root);
    expect(toHex(await rootAt(await storeOf(size), size))).toBe(root);
  });

  it.each(data.inclusionProofs)(
    'inclusion proof of leaf $leafIndex in size $treeSize',
    async ({ leafIndex, treeSize, path }) => {
      const store = await storeOf(data.leafInputs.length);
      expect((await inclusionProof(store, leafIndex, treeSize)).map(toHex)).toEqual(path);
      const verdict = verifyInclusion({
        hashAlgorithm: algorithm,
        leafIndex,
        treeSize,
        leafHash: leafHashes[leafIndex],
        proof: path.map(fromHex),
        rootHash: fromHex(data.roots[treeSize]),
      });
      expect(verdict).toEqual({ ok: true });
    },
  );

  it.each(data.consistencyProofs)('consistency proof $first -> $second', async ({ first, second, path }) => {
    const store = await storeOf(data.leafInputs.length);
    expect((await consistencyProof(store, first, second)).map(toHex)).toEqual(path);
    const verdict = verifyConsistency({
      hashAlgorithm: algorithm,
      first,
      second,
      firstRoot: fromHex(data.roots[first]),
      secondRoot: fromHex(data.roots[second]),
      proof: path.map(fromHex),
    });
    expect(verdict).toEqual({ ok: true });
  });
});

describe.each(encodingFiles)('leaf encoding vectors in $file', ({ data }) => {
  it.each(data.cases.map((c, i) => ({ ...c, i })))(
    'case $i encodes to the published canonical text',
    ({ entry, canonical }) => {
      const leafInput = encodeLeafInput(entry);
      expect(new TextDecoder().decode(leafInput)).toBe(canonical);
      expect(decodeLeafInput(leafInput)).toEqual(entry);
    },
  );
});
