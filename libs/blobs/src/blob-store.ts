import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '@app/core';

/** 64 lowercase hex digits: a SHA-256 as `sha256sum` prints it, and as blobs are named. */
export const BLOB_SHA256 = /^[0-9a-f]{64}$/;

/** The Nest token of the configured `BlobStore` (files or database, by `AppConfig.blobStore`). */
export const BLOB_STORE = Symbol('BLOB_STORE');

/** A blob as stored: its SHA-256 (64 lowercase hex) and its size in bytes. */
export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
}

export interface PutOptions {
  /** 64 lowercase hex: the bytes must hash to it, else `BlobHashMismatch` and nothing is kept. */
  expectedSha256?: string;
  /** More bytes than this: `BlobTooLarge`, and nothing is kept. The source is not read further. */
  maxBytes?: number;
}

/**
 * Content-addressed, immutable bytes. `put` streams a source in (never holding it whole) and names it by its
 * SHA-256; the same bytes twice are one blob; a source that errors, runs past `maxBytes` or does not hash to
 * `expectedSha256` leaves nothing behind. `open` streams a blob back and hashes it as it goes: bytes that no longer
 * hash to their name (a damaged disk, a tampered row) make the stream error at its end, so a reader that treats a
 * stream error as failure never accepts them.
 */
export interface BlobStore {
  readonly kind: 'files' | 'database';
  put(source: AsyncIterable<Uint8Array> | Uint8Array, options?: PutOptions): Promise<StoredBlob>;
  /** Throws `BlobNotFound` when there is no blob of that name. */
  open(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** The size in bytes, or null when there is no such blob. */
  size(sha256: string): Promise<number | null>;
  /**
   * Removes the blob irrecoverably (DS 37 destruction): afterwards `has` is false and `open` throws `BlobNotFound`.
   * Idempotent: removing a blob that is not there does nothing. The caller must know that nothing else still
   * refers to these bytes (the same bytes stored twice are one blob).
   */
  remove(sha256: string): Promise<void>;
}

export class BlobNotFound extends DomainError {
  constructor(sha256: string) {
    super('not_found', 'blob_not_found', `no stored blob ${sha256}`);
  }
}

export class BlobHashMismatch extends DomainError {
  constructor(
    readonly actual: string,
    readonly expected: string,
  ) {
    super(
      'refused',
      'sha256_mismatch',
      `the bytes received hash to ${actual}, not to the expected ${expected}; nothing was kept`,
    );
  }
}

export class BlobTooLarge extends DomainError {
  constructor(readonly maxBytes: number) {
    super('refused', 'blob_too_large', `more than the ${maxBytes} bytes expected; nothing was kept`);
  }
}

/** A stored blob whose bytes no longer hash to its name, or are not its recorded size: it must not be used. */
export class BlobIntegrityError extends DomainError {
  constructor(sha256: string, detail: string) {
    super(
      'unavailable',
      'blob_damaged',
      `the stored blob ${sha256} is damaged (${detail}); the exchange's operator must restore it from backup`,
    );
  }
}

/** Throws unless `sha256` is 64 lowercase hex digits (a blob's name). */
export function assertBlobName(sha256: string): void {
  if (!BLOB_SHA256.test(sha256))
    throw new DomainError('invalid', 'invalid_sha256', 'a blob is named by 64 lowercase hex digits');
}

/** Checks the put options before any byte is read. */
export function checkPutOptions(options: PutOptions): void {
  if (options.expectedSha256 !== undefined) assertBlobName(options.expectedSha256);
  if (options.maxBytes !== undefined && !(Number.isSafeInteger(options.maxBytes) && options.maxBytes >= 0)) {
    throw new Error('maxBytes must be a non-negative safe integer');
  }
}

/** A source as an async iterable of byte arrays. */
export function chunksOf(source: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    return (async function* () {
      yield source;
    })();
  }
  return source;
}

/**
 * Passes bytes through while hashing and counting them; at the end, errors with `BlobIntegrityError` unless they
 * hashed to `sha256` and numbered `sizeBytes` (when known).
 */
export function verifying(sha256: string, sizeBytes: number | null): Transform {
  const hash = createHash('sha256');
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      seen += chunk.byteLength;
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      const actual = hash.digest('hex');
      if (sizeBytes !== null && seen !== sizeBytes) {
        done(new BlobIntegrityError(sha256, `${seen} bytes where ${sizeBytes} were stored`));
      } else if (actual !== sha256) {
        done(new BlobIntegrityError(sha256, `its bytes hash to ${actual}`));
      } else done();
    },
  });
}

/** Reads a whole stream into memory: for small blobs and tests only. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A readable that yields `parts` (lazily) and is verified against `sha256` on the way. */
export function verifiedStream(
  parts: AsyncIterable<Uint8Array>,
  sha256: string,
  sizeBytes: number | null,
): Readable {
  const check = verifying(sha256, sizeBytes);
  const source = Readable.from(parts, { objectMode: false });
  source.on('error', (error) => check.destroy(error));
  return source.pipe(check);
}
