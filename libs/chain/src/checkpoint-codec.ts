import { hexlify, toBeHex, zeroPadValue } from 'ethers';
import { ChainError } from './chain-errors.js';

/** A checkpoint as stored on chain. */
export interface Checkpoint {
  readonly treeSize: number;
  /** 0x-prefixed lowercase hex of the 32-byte Merkle root. */
  readonly rootHash: string;
  /** Block time of the anchoring transaction, Unix seconds. */
  readonly timestamp: number;
}

/** Precondition check: a tree size is a positive safe integer (the contract stores uint64). */
export function assertTreeSize(treeSize: number): void {
  if (!Number.isSafeInteger(treeSize) || treeSize <= 0) {
    throw new ChainError(
      'invalid',
      'chain_invalid_tree_size',
      `tree size must be a positive safe integer: ${treeSize}`,
    );
  }
}

/** Precondition check: a root is exactly 32 bytes and not all zero (zero marks "no checkpoint" on chain). Returns hex. */
export function rootToHex(rootHash: Uint8Array): string {
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== 32) {
    throw new ChainError(
      'invalid',
      'chain_invalid_root',
      'root hash must be a Uint8Array of exactly 32 bytes',
    );
  }
  if (rootHash.every((b) => b === 0))
    throw new ChainError('invalid', 'chain_invalid_root', 'root hash is all zero');
  return hexlify(rootHash);
}

/** The indexed-topic encoding of a uint64 tree size. */
export function treeSizeTopic(treeSize: number): string {
  return zeroPadValue(toBeHex(treeSize), 32);
}

/** Converts a uint as ethers returns it (bigint) to a number, refusing values beyond 2^53 - 1. */
export function toSafeNumber(value: unknown, what: string): number {
  if (typeof value !== 'bigint' && typeof value !== 'number') throw new Error(`${what}: not an integer`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} ${String(value)} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}

/** Decodes a (treeSize, rootHash, timestamp) tuple as ethers returns it; null for the all-zero "none" answer. */
export function decodeCheckpoint(tuple: unknown): Checkpoint | null {
  if (!Array.isArray(tuple) || tuple.length !== 3) throw new Error('checkpoint: expected a 3-tuple');
  const [size, root, timestamp] = tuple as readonly unknown[];
  const treeSize = toSafeNumber(size, 'treeSize');
  if (treeSize === 0) return null;
  if (typeof root !== 'string') throw new Error('checkpoint: rootHash is not hex');
  return { treeSize, rootHash: root.toLowerCase(), timestamp: toSafeNumber(timestamp, 'timestamp') };
}
