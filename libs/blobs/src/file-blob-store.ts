import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertBlobName,
  BlobHashMismatch,
  BlobNotFound,
  BlobTooLarge,
  checkPutOptions,
  chunksOf,
  verifying,
  type BlobStore,
  type PutOptions,
  type StoredBlob,
} from './blob-store.js';

/** Temporary files older than this are left over from a crash and are removed at start. */
const STALE_INCOMING_MS = 24 * 60 * 60 * 1000;

/**
 * Blobs as files under `<root>/<first two hex>/<sha256>` (the embedded default: `DATA_DIR/blobs`). A blob arrives
 * into `incoming/` (same file system, so the final rename is atomic) while it is hashed and counted; it is fsync'd,
 * and only then renamed into place and the directory synced. Nothing half-written ever carries a blob's name.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'files' as const;
  private readonly incoming: string;

  constructor(readonly root: string) {
    this.incoming = join(root, 'incoming');
  }

  /** Creates the folders and removes temporary files a crash left behind (only old ones: another process may be writing). */
  async prepare(): Promise<void> {
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    const now = Date.now();
    for (const name of await readdir(this.incoming)) {
      const path = join(this.incoming, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > STALE_INCOMING_MS) await rm(path, { force: true });
    }
  }

  /** Where the blob of `sha256` lives. */
  pathOf(sha256: string): string {
    assertBlobName(sha256);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(source: AsyncIterable<Uint8Array> | Uint8Array, options: PutOptions = {}): Promise<StoredBlob> {
    checkPutOptions(options);
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    const temporary = join(this.incoming, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let handle: FileHandle | undefined;
    try {
      handle = await open(temporary, 'wx', 0o600);
      for await (const chunk of chunksOf(source)) {
        sizeBytes += chunk.byteLength;
        if (options.maxBytes !== undefined && sizeBytes > options.maxBytes)
          throw new BlobTooLarge(options.maxBytes);
        hash.update(chunk);
        for (let written = 0; written < chunk.byteLength;) {
          written += (await handle.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw new BlobHashMismatch(sha256, options.expectedSha256);
      }
      const folder = join(this.root, sha256.slice(0, 2));
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // The same bytes may already be there under the same name: replacing them with themselves is harmless and
      // keeps this free of a check-then-act race.
      await rename(temporary, this.pathOf(sha256));
      await syncDirectory(folder);
      return { sha256, sizeBytes };
    } finally {
      await handle?.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }

  async open(sha256: string): Promise<Readable> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFound(sha256);
      throw error;
    }
    // The descriptor is held, so the bytes streamed are those of the file opened now; the size is checked by hash.
    const source = createReadStream('', { fd: handle, autoClose: true, start: 0 });
    const check = verifying(sha256, null);
    source.on('error', (error) => check.destroy(error));
    return source.pipe(check);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    const info = await stat(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return info ? info.size : null;
  }

  /**
   * Destroys the blob (DS 37): its bytes are overwritten with zeros in place and synced, so the blocks the file
   * held no longer carry them, then the file is unlinked and its directory synced. Idempotent: no file, nothing to do.
   */
  async remove(sha256: string): Promise<void> {
    const path = this.pathOf(sha256);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const zeros = Buffer.alloc(Math.min(size, OVERWRITE_BYTES));
      for (let at = 0; at < size;) {
        const length = Math.min(zeros.byteLength, size - at);
        at += (await handle.write(zeros, 0, length, at)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rm(path, { force: true });
    await syncDirectory(join(this.root, sha256.slice(0, 2)));
  }
}

/** The buffer an overwrite writes at a time. */
const OVERWRITE_BYTES = 1024 * 1024;

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
