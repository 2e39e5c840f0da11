import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, DomainError, ValidationFailed, type AppConfig } from '@app/core';

/** 64 lowercase hex digits: a SHA-256 as `sha256sum` prints it, and as blobs are named on disk. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Temporary files older than this are left over from a crash and are removed at start. */
const STALE_INCOMING_MS = 24 * 60 * 60 * 1000;

/** The upload is larger than `DELIVERY_FILE_MAX_BYTES` (the API answers 413). */
export class DeliveryFileTooLarge extends DomainError {
  constructor(readonly maxBytes: number) {
    super(
      'invalid',
      'file_too_large',
      `the file is larger than the ${maxBytes} bytes this exchange accepts (DELIVERY_FILE_MAX_BYTES)`,
    );
  }
}

/** A blob as stored: its hash (64 hex) and size. */
export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
}

/** A blob opened for reading: the descriptor is held, so the bytes served are the bytes that were checked. */
export interface OpenedBlob {
  sizeBytes: number;
  stream(): ReadStream;
  close(): Promise<void>;
}

/**
 * Delivery files on disk, content-addressed: `<DATA_DIR>/delivery-files/<first two hex>/<sha256>`. A file arrives
 * as a stream into `incoming/` (same file system, so the final rename is atomic) while it is hashed and counted;
 * it is fsync'd, and only then renamed into place and the directory synced. A stream that fails, breaks off, runs
 * past the size limit or does not hash to the expected value leaves nothing behind. Blobs are never changed;
 * the same bytes uploaded twice are one blob.
 */
@Injectable()
export class DeliveryFileStore implements OnModuleInit {
  readonly root: string;
  private readonly incoming: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.root = join(config.dataDir, 'delivery-files');
    this.incoming = join(this.root, 'incoming');
  }

  get maxBytes(): number {
    return this.config.deliveryFileMaxBytes;
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    // Another process may be writing its own temporary files here right now: only old ones are debris.
    const now = Date.now();
    for (const name of await readdir(this.incoming)) {
      const path = join(this.incoming, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > STALE_INCOMING_MS) await rm(path, { force: true });
    }
  }

  /** Where the blob of `sha256` (64 hex) lives. */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('a blob is named by 64 lowercase hex digits');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` into the store. Precondition: `source` is the whole upload and is read by nobody else.
   * Throws `DeliveryFileTooLarge` past the limit and a 422 `sha256_mismatch` when `expectedSha256` (64 hex) is
   * given and differs; in both cases, and when the stream errors, nothing is kept.
   */
  async put(source: AsyncIterable<Uint8Array>, expectedSha256: string | null): Promise<StoredBlob> {
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    const temporary = join(this.incoming, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let handle: FileHandle | undefined;
    try {
      handle = await open(temporary, 'wx', 0o600);
      for await (const chunk of source) {
        sizeBytes += chunk.byteLength;
        if (sizeBytes > this.maxBytes) throw new DeliveryFileTooLarge(this.maxBytes);
        hash.update(chunk);
        for (let written = 0; written < chunk.byteLength;) {
          written += (await handle.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
      }
      if (sizeBytes === 0)
        throw new ValidationFailed('the file is empty; send its bytes as the body', 'empty_file');
      await handle.sync();
      await handle.close();
      handle = undefined;
      const sha256 = hash.digest('hex');
      if (expectedSha256 !== null && expectedSha256 !== sha256) {
        throw new DomainError(
          'refused',
          'sha256_mismatch',
          `the bytes received hash to ${sha256}, not to expectedSha256 ${expectedSha256}; nothing was kept`,
        );
      }
      const target = this.pathOf(sha256);
      await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      // Identical bytes may already be there (the same content content-addresses to the same name): replacing them
      // with themselves is harmless and keeps this free of a check-then-act race.
      await rename(temporary, target);
      await syncDirectory(join(this.root, sha256.slice(0, 2)));
      return { sha256, sizeBytes };
    } finally {
      await handle?.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }

  /**
   * Opens the blob of `sha256` and checks it still has `sizeBytes` bytes. Throws 503 `file_unavailable` when it is
   * missing or changed size (a lost or damaged disk), before anything is recorded or sent.
   */
  async open(sha256: string, sizeBytes: number): Promise<OpenedBlob> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unavailable(sha256);
      throw error;
    }
    const info = await handle.stat();
    if (info.size !== sizeBytes) {
      await handle.close();
      throw unavailable(sha256);
    }
    let streamed = false;
    return {
      sizeBytes,
      stream: () => {
        streamed = true;
        // The stream owns the descriptor from here and closes it when it ends or is destroyed.
        return createReadStream('', { fd: handle, autoClose: true, start: 0 });
      },
      close: async () => {
        if (!streamed) await handle.close();
      },
    };
  }
}

const unavailable = (sha256: string) =>
  new DomainError(
    'unavailable',
    'file_unavailable',
    `the stored file ${sha256} is missing or damaged; the exchange's operator must restore it from backup`,
  );

/** Makes the new name durable; some platforms cannot open a directory for syncing, which is no error. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle.close();
  }
}
