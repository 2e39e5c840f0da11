// Test-only: a naive, recursive transcription of RFC 9162 §2.1 over leaf inputs held in memory,
// deliberately independent of the production code (own hashing, no stores, no iteration tricks).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashAlgorithm } from './hash-algorithm.js';

export type Side = 'left' | 'right';

/** A proof element with the side it is on relative to the running hash. */
export interface SidedHash {
  hash: Uint8Array;
  side: Side;
}

export function refHash(algorithm: HashAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH(D[n]). */
export function refMth(algorithm: HashAlgorithm, d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return refHash(algorithm);
  if (d.length === 1) return refHash(algorithm, Uint8Array.of(0), d[0]);
  const split = k(d.length);
  return refHash(
    algorithm,
    Uint8Array.of(1),
    refMth(algorithm, d.slice(0, split)),
    refMth(algorithm, d.slice(split)),
  );
}

/** PATH(m, D[n]) with the side of each sibling. */
export function refPath(algorithm: HashAlgorithm, m: number, d: readonly Uint8Array[]): SidedHash[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  if (m < split)
    return [
      ...refPath(algorithm, m, d.slice(0, split)),
      { hash: refMth(algorithm, d.slice(split)), side: 'right' },
    ];
  return [
    ...refPath(algorithm, m - split, d.slice(split)),
    { hash: refMth(algorithm, d.slice(0, split)), side: 'left' },
  ];
}

/** SUBPROOF(m, D[n], b). */
function refSubproof(
  algorithm: HashAlgorithm,
  m: number,
  d: readonly Uint8Array[],
  b: boolean,
): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [refMth(algorithm, d)];
  const split = k(n);
  if (m <= split)
    return [...refSubproof(algorithm, m, d.slice(0, split), b), refMth(algorithm, d.slice(split))];
  return [...refSubproof(algorithm, m - split, d.slice(split), false), refMth(algorithm, d.slice(0, split))];
}

/** PROOF(m, D[n]) for 0 < m <= n. */
export function refProof(algorithm: HashAlgorithm, m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return refSubproof(algorithm, m, d, true);
}

/** Distinct, varied leaf inputs 0..n-1 (lengths 0..9 bytes). */
export function sampleLeafInputs(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    Uint8Array.from({ length: i % 10 }, (_, j) => (i * 31 + j * 7) & 0xff),
  );
}

export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Returns a copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[(bit >> 3) % copy.length] ^= 1 << (bit & 7);
  return copy;
}

export const VECTOR_DIR = join(process.cwd(), 'test', 'vectors', 'ledger');

/** Every vector file of the given kind, parsed, with its file name. */
export function vectorFiles<T>(kind: string): { file: string; data: T }[] {
  return readdirSync(VECTOR_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      file,
      data: JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) as { kind: string } & T,
    }))
    .filter(({ data }) => data.kind === kind);
}

/** The leaf ranges [a, b) of SUBPROOF(m, D[lo:hi], b) elements, in proof order. */
function refSubproofRanges(m: number, lo: number, hi: number, b: boolean): [number, number][] {
  if (m === hi - lo) return b ? [] : [[lo, hi]];
  const split = k(hi - lo);
  if (m <= split) return [...refSubproofRanges(m, lo, lo + split, b), [lo + split, hi]];
  return [...refSubproofRanges(m - split, lo + split, hi, false), [lo, lo + split]];
}

/**
 * How a consistency verifier must combine the proof elements (p0, p1, ...; F = the first root
 * supplied when `first` is a power of two) into the two roots for sizes (first, second).
 * Two size pairs with the same shape accept exactly the same proofs and roots.
 */
export function refConsistencyShape(first: number, second: number): string {
  if (first < 0 || first > second) return 'invalid';
  if (first === second) return 'equal';
  if (first === 0) return 'empty-first';
  const ranges = refSubproofRanges(first, 0, second, true);
  const powerOfTwo = Number.isInteger(Math.log2(first));
  const label = (a: number, b: number): string | undefined => {
    if (powerOfTwo && a === 0 && b === first) return 'F';
    const j = ranges.findIndex(([x, y]) => x === a && y === b);
    return j >= 0 ? `p${j}` : undefined;
  };
  const expr = (a: number, b: number): string => {
    const known = label(a, b);
    if (known) return known;
    if (b - a === 1) return '?';
    const split = a + k(b - a);
    return `(${expr(a, split)},${expr(split, b)})`;
  };
  return `${ranges.length}:${expr(0, first)}|${expr(0, second)}`;
}

/** Sibling sides of PATH(m, D[n]) ('l'/'r', leaf first), from the recursion without hashing. */
export function refPathSides(m: number, n: number): string {
  if (m < 0 || m >= n) return 'invalid';
  if (n === 1) return '';
  const split = k(n);
  return m < split ? `${refPathSides(m, split)}r` : `${refPathSides(m - split, n - split)}l`;
}
