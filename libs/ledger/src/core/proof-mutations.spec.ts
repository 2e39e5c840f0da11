import { verifyConsistency, type ConsistencyClaim } from './consistency-proof.js';
import type { HashAlgorithm } from './hash-algorithm.js';
import { verifyInclusion, type InclusionClaim } from './inclusion-proof.js';
import {
  flipBit,
  fromHex,
  refConsistencyShape,
  refHash,
  refMth,
  refPath,
  refPathSides,
  refProof,
  sampleLeafInputs,
  vectorFiles,
} from './rfc9162-reference.fixture.js';

// Every valid proof (published vectors, and every pair up to MAX_SIZE from the reference) is
// mutated systematically; each mutation must be rejected. The one exception is inherent to
// RFC 9162: an inclusion path does not commit to the tree size or index on its own (the root
// does, and a signed tree head binds size and root together); nor does a consistency path commit
// to the sizes. So a mutated (index, size) whose path has exactly the same sibling sides, or
// mutated (first, second) whose proof combines into the roots the same way, is accepted by any
// conforming verifier. The test derives that alias set from the reference implementation,
// independently of the code under test, and requires acceptance to match it exactly.

const MAX_SIZE = 48;

interface TreeVectors {
  hashAlgorithm: HashAlgorithm;
  leafInputs: string[];
  roots: string[];
  inclusionProofs: { leafIndex: number; treeSize: number; path: string[] }[];
  consistencyProofs: { first: number; second: number; path: string[] }[];
}

interface Mutation<T> {
  name: string;
  claim: T;
  /** When set, the mutation is an inherent alias of a valid proof and must be accepted. */
  alias?: boolean;
}

function inclusionMutations(
  claim: InclusionClaim,
  rootOfSize: (size: number) => Uint8Array | undefined,
): Mutation<InclusionClaim>[] {
  const { hashAlgorithm, leafIndex, treeSize, leafHash, proof, rootHash } = claim;
  const originalSides = refPathSides(leafIndex, treeSize);
  const other = refHash(hashAlgorithm, Uint8Array.of(0), Uint8Array.of(0xee, leafIndex & 0xff));
  const list: Mutation<InclusionClaim>[] = [
    { name: 'wrong leaf', claim: { ...claim, leafHash: other } },
    { name: 'leaf hash bit flipped', claim: { ...claim, leafHash: flipBit(leafHash, 7) } },
    { name: 'root bit flipped', claim: { ...claim, rootHash: flipBit(rootHash, 100) } },
    { name: 'path extended at end', claim: { ...claim, proof: [...proof, other] } },
    { name: 'path extended with the root', claim: { ...claim, proof: [...proof, rootHash] } },
    { name: 'path extended at front', claim: { ...claim, proof: [other, ...proof] } },
    {
      name: 'path element of wrong length',
      claim: { ...claim, proof: [...proof.slice(0, -1), new Uint8Array(31)] },
    },
  ];
  proof.forEach((_, i) => {
    for (const bit of [0, 131, 255]) {
      list.push({
        name: `bit ${bit} of path[${i}] flipped`,
        claim: { ...claim, proof: proof.map((p, j) => (j === i ? flipBit(p, bit) : p)) },
      });
    }
  });
  if (proof.length > 0) {
    list.push({ name: 'path truncated (last dropped)', claim: { ...claim, proof: proof.slice(0, -1) } });
    list.push({ name: 'path truncated (first dropped)', claim: { ...claim, proof: proof.slice(1) } });
    list.push({
      name: 'path reversed',
      claim: { ...claim, proof: [...proof].reverse() },
      alias: proof.length === 1,
    });
  }
  for (const size of [treeSize - 1, treeSize + 1]) {
    const root = rootOfSize(size);
    if (root) list.push({ name: `root of size ${size} instead`, claim: { ...claim, rootHash: root } });
  }
  const structural = (name: string, m: number, n: number): void => {
    list.push({
      name,
      claim: { ...claim, leafIndex: m, treeSize: n },
      alias: refPathSides(m, n) === originalSides,
    });
  };
  structural('tree size - 1', leafIndex, treeSize - 1);
  structural('tree size + 1', leafIndex, treeSize + 1);
  structural('tree size * 2', leafIndex, treeSize * 2);
  structural('leaf index - 1', leafIndex - 1, treeSize);
  structural('leaf index + 1', leafIndex + 1, treeSize);
  structural('leaf index ^ 2', leafIndex ^ 2, treeSize);
  structural('leaf index = tree size', treeSize, treeSize);
  return list.filter((m) => !(m.name === 'path reversed' && m.alias));
}

function consistencyMutations(
  claim: ConsistencyClaim,
  rootOfSize: (size: number) => Uint8Array | undefined,
): Mutation<ConsistencyClaim>[] {
  const { first, second, firstRoot, secondRoot, proof } = claim;
  const other = refHash(claim.hashAlgorithm, Uint8Array.of(0x42, first, second));
  const list: Mutation<ConsistencyClaim>[] = [
    { name: 'first root bit flipped', claim: { ...claim, firstRoot: flipBit(firstRoot, 3) } },
    { name: 'second root bit flipped', claim: { ...claim, secondRoot: flipBit(secondRoot, 200) } },
    { name: 'path extended at end', claim: { ...claim, proof: [...proof, other] } },
    { name: 'path extended at front', claim: { ...claim, proof: [other, ...proof] } },
  ];
  const shape = refConsistencyShape(first, second);
  const structural = (name: string, f: number, s: number): void => {
    list.push({ name, claim: { ...claim, first: f, second: s }, alias: refConsistencyShape(f, s) === shape });
  };
  structural('first size + 1', first + 1, second);
  structural('first size - 1', first - 1, second);
  structural('second size + 1', first, second + 1);
  structural('second size - 1', first, second - 1);
  structural('second size * 2', first, second * 2);
  structural('sizes swapped', second, first);
  if (first !== second)
    list.push({ name: 'roots swapped', claim: { ...claim, firstRoot: secondRoot, secondRoot: firstRoot } });
  proof.forEach((_, i) => {
    for (const bit of [0, 131, 255]) {
      list.push({
        name: `bit ${bit} of path[${i}] flipped`,
        claim: { ...claim, proof: proof.map((p, j) => (j === i ? flipBit(p, bit) : p)) },
      });
    }
  });
  if (proof.length > 0) {
    list.push({ name: 'path truncated (last dropped)', claim: { ...claim, proof: proof.slice(0, -1) } });
    list.push({ name: 'path truncated (first dropped)', claim: { ...claim, proof: proof.slice(1) } });
  }
  for (const size of [first - 1, first + 1]) {
    const root = rootOfSize(size);
    if (root && size !== second)
      list.push({ name: `first root of size ${size}`, claim: { ...claim, firstRoot: root } });
  }
  for (const size of [second - 1, second + 1]) {
    const root = rootOfSize(size);
    if (root && size !== first)
      list.push({ name: `second root of size ${size}`, claim: { ...claim, secondRoot: root } });
  }
  return list;
}

interface Case<T> {
  label: string;
  claim: T;
  rootOfSize: (size: number) => Uint8Array | undefined;
}

function vectorCases(): { inclusion: Case<InclusionClaim>[]; consistency: Case<ConsistencyClaim>[] } {
  const inclusion: Case<InclusionClaim>[] = [];
  const consistency: Case<ConsistencyClaim>[] = [];
  for (const { file, data } of vectorFiles<TreeVectors>('merkle-tree')) {
    const algorithm = data.hashAlgorithm;
    const rootOfSize = (size: number): Uint8Array | undefined =>
      data.roots[size] ? fromHex(data.roots[size]) : undefined;
    for (const p of data.inclusionProofs) {
      const leafHash = refHash(algorithm, Uint8Array.of(0), fromHex(data.leafInputs[p.leafIndex]));
      inclusion.push({
        label: `${file} leaf ${p.leafIndex} size ${p.treeSize}`,
        claim: {
          hashAlgorithm: algorithm,
          leafIndex: p.leafIndex,
          treeSize: p.treeSize,
          leafHash,
          proof: p.path.map(fromHex),
          rootHash: rootOfSize(p.treeSize)!,
        },
        rootOfSize,
      });
    }
    for (const p of data.consistencyProofs) {
      consistency.push({
        label: `${file} ${p.first} -> ${p.second}`,
        claim: {
          hashAlgorithm: algorithm,
          first: p.first,
          second: p.second,
          firstRoot: rootOfSize(p.first)!,
          secondRoot: rootOfSize(p.second)!,
          proof: p.path.map(fromHex),
        },
        rootOfSize,
      });
    }
  }
  return { inclusion, consistency };
}

function generatedCases(algorithm: HashAlgorithm): {
  inclusion: Case<InclusionClaim>[];
  consistency: Case<ConsistencyClaim>[];
} {
  const leaves = sampleLeafInputs(MAX_SIZE + 1);
  const roots = Array.from({ length: MAX_SIZE + 2 }, (_, n) => refMth(algorithm, leaves.slice(0, n)));
  const rootOfSize = (size: number): Uint8Array | undefined => (size >= 0 ? roots[size] : undefined);
  const inclusion: Case<InclusionClaim>[] = [];
  const consistency: Case<ConsistencyClaim>[] = [];
  for (let n = 1; n <= MAX_SIZE; n++) {
    const tree = leaves.slice(0, n);
    for (let m = 0; m < n; m++) {
      inclusion.push({
        label: `${algorithm} leaf ${m} size ${n}`,
        claim: {
          hashAlgorithm: algorithm,
          leafIndex: m,
          treeSize: n,
          leafHash: refHash(algorithm, Uint8Array.of(0), leaves[m]),
          proof: refPath(algorithm, m, tree).map((e) => e.hash),
          rootHash: roots[n],
        },
        rootOfSize,
      });
    }
    for (let m = 1; m <= n; m++) {
      consistency.push({
        label: `${algorithm} ${m} -> ${n}`,
        claim: {
          hashAlgorithm: algorithm,
          first: m,
          second: n,
          firstRoot: roots[m],
          secondRoot: roots[n],
          proof: refProof(algorithm, m, tree),
        },
        rootOfSize,
      });
    }
  }
  return { inclusion, consistency };
}

const sources = [
  { name: 'published vectors', ...vectorCases() },
  { name: `every pair up to size ${MAX_SIZE}, sha256`, ...generatedCases('sha256') },
  { name: `every pair up to size ${MAX_SIZE}, sm3`, ...generatedCases('sm3') },
];

describe.each(sources)('proof mutations: $name', ({ inclusion, consistency }) => {
  it('has cases', () => {
    expect(inclusion.length).toBeGreaterThan(0);
    expect(consistency.length).toBeGreaterThan(0);
  });

  it('accepts every valid inclusion proof and rejects every mutation (aliases excepted)', () => {
    const wrong: string[] = [];
    for (const { label, claim, rootOfSize } of inclusion) {
      if (!verifyInclusion(claim).ok) wrong.push(`${label}: valid proof rejected`);
      for (const mutation of inclusionMutations(claim, rootOfSize)) {
        const verdict = verifyInclusion(mutation.claim);
        if (verdict.ok !== Boolean(mutation.alias))
          wrong.push(`${label}: ${mutation.name} ${verdict.ok ? 'accepted' : 'rejected'}`);
        if (!verdict.ok && verdict.reason.length === 0)
          wrong.push(`${label}: ${mutation.name} rejected without a reason`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('accepts every valid consistency proof and rejects every mutation (aliases excepted)', () => {
    const wrong: string[] = [];
    for (const { label, claim, rootOfSize } of consistency) {
      if (!verifyConsistency(claim).ok) wrong.push(`${label}: valid proof rejected`);
      for (const mutation of consistencyMutations(claim, rootOfSize)) {
        const verdict = verifyConsistency(mutation.claim);
        if (verdict.ok !== Boolean(mutation.alias))
          wrong.push(`${label}: ${mutation.name} ${verdict.ok ? 'accepted' : 'rejected'}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
