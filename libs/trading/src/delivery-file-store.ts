import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobTooLarge, FileBlobStore } from '@app/blobs';
import { APP_CONFIG, DomainError, ValidationFailed, type AppConfig } from '@app/core';

/** 64 lowercase hex digits: a SHA-256 as `sha256sum` prints it, and as blobs are named on disk. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

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
 * Delivery files on disk, content-addressed: `<DATA_DIR>/delivery-files/<first two hex>/<sha256>`, written by the
 * blob store's file backend (`FileBlobStore`: a temporary file hashed and counted as it streams in, fsync'd, renamed
 * into place, the directory synced), so a stream that fails, breaks off, runs past the size limit, is empty or does
 * not hash to the expected value leaves nothing behind, and the same bytes twice are one blob. Reading is this
 * store's own: a download holds the file's descriptor and checks its size before anything is recorded or sent.
 */
@Injectable()
export class DeliveryFileStore implements OnModuleInit {
  private readonly files: FileBlobStore;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.files = new FileBlobStore(join(config.dataDir, 'delivery-files'));
  }

  get root(): string {
    return this.files.root;
  }

  get maxBytes(): number {
    return this.config.deliveryFileMaxBytes;
  }

  /** Creates the folders; removes temporary files a crash left (only old ones: another process may be writing). */
  onModuleInit(): Promise<void> {
    return this.files.prepare();
  }

  /** Where the blob of `sha256` (64 hex) lives. */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('a blob is named by 64 lowercase hex digits');
    return this.files.pathOf(sha256);
  }

  /**
   * Streams `source` into the store. Precondition: `source` is the whole upload and is read by nobody else.
   * Throws `DeliveryFileTooLarge` past the limit, 400 `empty_file` for no bytes, and a 422 `sha256_mismatch` when
   * `expectedSha256` (64 hex) is given and differs; in each case, and when the stream errors, nothing is kept.
   */
  async put(source: AsyncIterable<Uint8Array>, expectedSha256: string | null): Promise<StoredBlob> {
    try {
      return await this.files.put(nonEmpty(source), {
        maxBytes: this.maxBytes,
        ...(expectedSha256 !== null ? { expectedSha256 } : {}),
      });
    } catch (error) {
      if (error instanceof BlobTooLarge) throw new DeliveryFileTooLarge(this.maxBytes);
      throw error;
    }
  }

  /** Whether the bytes of `sha256` (64 hex) are stored. */
  has(sha256: string): Promise<boolean> {
    return this.files.has(sha256);
  }

  /**
   * Destroys the file of `sha256` (64 hex) irrecoverably (DS 37): overwritten, synced, unlinked. Idempotent. The
   * caller must know that no delivery file still served names these bytes.
   */
  remove(sha256: string): Promise<void> {
    return this.files.remove(sha256);
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

/** The source as it comes, refused at its end when it carried no byte (an empty delivery file is a mistake). */
async function* nonEmpty(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let any = false;
  for await (const chunk of source) {
    if (chunk.byteLength > 0) any = true;
    yield chunk;
  }
  if (!any) throw new ValidationFailed('the file is empty; send its bytes as the body', 'empty_file');
}
