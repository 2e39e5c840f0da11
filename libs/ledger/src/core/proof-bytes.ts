import { HASH_SIZE } from './hash-algorithm.js';

/** Constant-shape byte equality for hashes (not secret, so no timing-safe compare is needed). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the first element that is not a 32-byte hash, or -1. */
export function firstMalformedHash(hashes: readonly Uint8Array[]): number {
  return hashes.findIndex((hash) => !(hash instanceof Uint8Array) || hash.length !== HASH_SIZE);
}
