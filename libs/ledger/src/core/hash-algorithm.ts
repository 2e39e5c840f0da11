import { hash } from 'node:crypto';

/** Hash functions a ledger may be built with; both produce 32-byte digests. */
export type HashAlgorithm = 'sha256' | 'sm3';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sm3'];

/** Digest length in bytes of every supported hash algorithm. */
export const HASH_SIZE = 32;

// One-shot `crypto.hash` over a single prefixed buffer is markedly cheaper than createHash()
// with several updates, and hashing dominates appends and export verification.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return value === 'sha256' || value === 'sm3';
}

/** Plain digest H(data); used for known-answer checks and the empty-tree hash. */
export function digest(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return hash(algorithm, data, 'buffer');
}

/** RFC 9162 §2.1.1 leaf hash: H(0x00 || leafInput). */
export function hashLeaf(algorithm: HashAlgorithm, leafInput: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(1 + leafInput.length);
  input[0] = 0x00;
  input.set(leafInput, 1);
  return hash(algorithm, input, 'buffer');
}

/**
 * Leaf hash of a buffer that already holds the 0x00 prefix at byte 0 followed by the leaf input
 * (lets the export verifier hash without copying). Precondition: `prefixed[0] === 0`.
 */
export function hashPrefixedLeaf(algorithm: HashAlgorithm, prefixed: Uint8Array): Uint8Array {
  return hash(algorithm, prefixed, 'buffer');
}

/** RFC 9162 §2.1.1 interior node hash: H(0x01 || left || right). Both inputs are 32-byte hashes. */
export function hashChildren(algorithm: HashAlgorithm, left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash(algorithm, nodeInput, 'buffer');
}

/** RFC 9162 §2.1.1 hash of the empty tree: H(""). */
export function emptyRoot(algorithm: HashAlgorithm): Uint8Array {
  return digest(algorithm, new Uint8Array(0));
}
