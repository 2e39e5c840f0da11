import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  assertBlobName,
  BlobHashMismatch,
  BlobIntegrityError,
  BlobNotFound,
  BlobTooLarge,
  checkPutOptions,
  chunksOf,
  verifiedStream,
  type BlobStore,
  type PutOptions,
  type StoredBlob,
} from './blob-store.js';

/** Runs statements with bound `?` parameters: each on its own, or several in one transaction. */
export interface SqlRunner {
  execute<T = Record<string, unknown>[]>(sql: string, params: unknown[], method?: 'all' | 'run'): Promise<T>;
  /** Runs `work` in one transaction: its statements commit together or not at all. */
  transaction<T>(work: (sql: Pick<SqlRunner, 'execute'>) => Promise<T>): Promise<T>;
}

/** Bytes per `blob_chunks` row: large enough to keep rows few, small enough that neither side holds much. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** Staged chunks older than this without a `blobs` row are left over from a crash and removed at start. */
const STALE_STAGED_MS = 24 * 60 * 60 * 1000;

interface BlobRow {
  upload_id: string;
  size_bytes: number | string;
  chunk_count: number | string;
}

/**
 * Blobs in the database (migration 012): `blob_chunks` holds the bytes in rows of `BLOB_CHUNK_BYTES` under an
 * upload id, `blobs` names a finished upload by its SHA-256. A put stages its chunks first (each row its own short
 * statement, so no transaction or connection is held for the length of an upload), then publishes the blob with one
 * insert that only the first writer of those bytes wins; a loser, a broken source or a hash mismatch deletes its
 * staged rows. Reads fetch one chunk row at a time, so a blob of any size streams. Chosen by default on PostgreSQL,
 * so that processes on other hosts read the same blobs.
 */
export class DatabaseBlobStore implements BlobStore {
  readonly kind = 'database' as const;

  constructor(
    private readonly sql: SqlRunner,
    private readonly now: () => number = Date.now,
  ) {}

  /** Removes staged chunks a crash left behind (only old ones: another process may be uploading now). */
  async prepare(): Promise<void> {
    await this.sql.execute(
      `delete from "blob_chunks" where "created_at_ms" < ?
         and not exists (select 1 from "blobs" b where b."upload_id" = "blob_chunks"."upload_id")`,
      [this.now() - STALE_STAGED_MS],
      'run',
    );
  }

  async put(source: AsyncIterable<Uint8Array> | Uint8Array, options: PutOptions = {}): Promise<StoredBlob> {
    checkPutOptions(options);
    const uploadId = randomUUID();
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(BLOB_CHUNK_BYTES);
    let filled = 0;
    let seq = 0;
    let sizeBytes = 0;
    const flush = async () => {
      if (filled === 0) return;
      await this.sql.execute(
        'insert into "blob_chunks" ("upload_id", "seq", "bytes", "created_at_ms") values (?, ?, ?, ?)',
        [uploadId, seq, Buffer.from(buffer.subarray(0, filled)), this.now()],
        'run',
      );
      seq++;
      filled = 0;
    };
    let published = false;
    try {
      for await (const chunk of chunksOf(source)) {
        sizeBytes += chunk.byteLength;
        if (options.maxBytes !== undefined && sizeBytes > options.maxBytes)
          throw new BlobTooLarge(options.maxBytes);
        hash.update(chunk);
        for (let offset = 0; offset < chunk.byteLength;) {
          const take = Math.min(BLOB_CHUNK_BYTES - filled, chunk.byteLength - offset);
          buffer.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === BLOB_CHUNK_BYTES) await flush();
        }
      }
      await flush();
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw new BlobHashMismatch(sha256, options.expectedSha256);
      }
      await this.sql.execute(
        `insert into "blobs" ("sha256", "upload_id", "size_bytes", "chunk_count", "created_at_ms")
         values (?, ?, ?, ?, ?) on conflict ("sha256") do nothing`,
        [sha256, uploadId, sizeBytes, seq, this.now()],
        'run',
      );
      const [row] = await this.sql.execute<BlobRow[]>('select "upload_id" from "blobs" where "sha256" = ?', [
        sha256,
      ]);
      // The same bytes were already stored (or another writer of them won the race): keep that copy only.
      published = row?.upload_id === uploadId;
      return { sha256, sizeBytes };
    } finally {
      if (!published) {
        await this.sql
          .execute('delete from "blob_chunks" where "upload_id" = ?', [uploadId], 'run')
          .catch(() => undefined);
      }
    }
  }

  async open(sha256: string): Promise<Readable> {
    const row = await this.row(sha256);
    if (!row) throw new BlobNotFound(sha256);
    const count = Number(row.chunk_count);
    const sql = this.sql;
    async function* parts(): AsyncGenerator<Uint8Array> {
      for (let seq = 0; seq < count; seq++) {
        const [chunk] = await sql.execute<{ bytes: Uint8Array }[]>(
          'select "bytes" from "blob_chunks" where "upload_id" = ? and "seq" = ?',
          [row!.upload_id, seq],
        );
        if (!chunk) throw new BlobIntegrityError(sha256, `chunk ${seq} of ${count} is missing`);
        yield Buffer.from(chunk.bytes);
      }
    }
    return verifiedStream(parts(), sha256, Number(row.size_bytes));
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.row(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    const row = await this.row(sha256);
    return row ? Number(row.size_bytes) : null;
  }

  /** Deletes the `blobs` row and its `blob_chunks` in one transaction, so no half-removed blob is ever visible. */
  async remove(sha256: string): Promise<void> {
    assertBlobName(sha256);
    await this.sql.transaction(async (sql) => {
      const rows = await sql.execute<BlobRow[]>('select "upload_id" from "blobs" where "sha256" = ?', [
        sha256,
      ]);
      await sql.execute('delete from "blobs" where "sha256" = ?', [sha256], 'run');
      for (const row of rows)
        await sql.execute('delete from "blob_chunks" where "upload_id" = ?', [row.upload_id], 'run');
    });
  }

  private async row(sha256: string): Promise<BlobRow | null> {
    assertBlobName(sha256);
    const [row] = await this.sql.execute<BlobRow[]>(
      'select "upload_id", "size_bytes", "chunk_count" from "blobs" where "sha256" = ?',
      [sha256],
    );
    return row ?? null;
  }
}
