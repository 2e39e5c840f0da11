import { createHash, timingSafeEqual } from 'node:crypto';

/** A serialised (zstd) ciphertext with the SHA-256 of exactly those bytes, hex-encoded. */
export interface CiphertextBlob {
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function toBlob(bytes: Uint8Array): CiphertextBlob {
  return { bytes, sha256: sha256Hex(bytes) };
}

/** True only if `bytes` hash to `expectedSha256` (constant-time comparison). */
export function hashMatches(bytes: Uint8Array, expectedSha256: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(expectedSha256)) return false;
  const actual = createHash('sha256').update(bytes).digest();
  return timingSafeEqual(actual, Buffer.from(expectedSha256, 'hex'));
}

export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
}

/** Throws IntegrityError unless the blob's bytes still hash to its recorded SHA-256. */
export function assertIntact(blob: CiphertextBlob, label: string): void {
  if (!hashMatches(blob.bytes, blob.sha256))
    throw new IntegrityError(`${label}: SHA-256 mismatch, refusing to evaluate`);
}
