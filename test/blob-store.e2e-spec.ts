import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@app/core';
import {
  BLOB_CHUNK_BYTES,
  BLOB_STORE,
  BlobHashMismatch,
  BlobIntegrityError,
  BlobNotFound,
  BlobTooLarge,
  FileBlobStore,
  readAll,
  type BlobStore,
} from '@app/blobs';
import { countRows, sqlOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Deterministic bytes (SHA-256 in counter mode), the same whatever `piece` size they are handed out in. */
async function* generated(size: number, seed: string, piece = 64 * 1024): AsyncGenerator<Uint8Array> {
  const block = (n: number) => createHash('sha256').update(`${seed}:${n}`).digest();
  for (let sent = 0; sent < size;) {
    const length = Math.min(piece, size - sent);
    const first = Math.floor(sent / 32);
    const blocks: Buffer[] = [];
    for (let n = first; n * 32 < sent + length; n++) blocks.push(block(n));
    const part = Buffer.concat(blocks).subarray(sent - first * 32, sent - first * 32 + length);
    sent += length;
    yield part;
  }
}

async function hashOf(source: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const part of source) {
    hash.update(part);
    size += part.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What each backend holds on its medium: the blobs' names and the pieces (files, or chunk rows) in all. */
interface Medium {
  names(): Promise<string[]>;
  pieces(): Promise<number>;
  tamper(name: string): Promise<void>;
}

function fileMedium(store: FileBlobStore): Medium {
  const all = async () => {
    const found: { dir: string; name: string }[] = [];
    for (const dir of await readdir(store.root)) {
      for (const name of await readdir(join(store.root, dir))) found.push({ dir, name });
    }
    return found;
  };
  return {
    names: async () => (await all()).filter((f) => f.dir !== 'incoming').map((f) => f.name),
    pieces: async () => (await all()).length,
    tamper: async (name) => {
      const path = store.pathOf(name);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      await writeFile(path, bytes);
    },
  };
}

function databaseMedium(t: TestApp): Medium {
  const sql = sqlOf(t);
  return {
    names: async () => (await sql<{ sha256: string }>('select "sha256" from "blobs"')).map((r) => r.sha256),
    pieces: () => countRows(t, 'blob_chunks'),
    tamper: async (name) => {
      const [row] = await sql<{ upload_id: string; bytes: Uint8Array }>(
        `select c."upload_id", c."bytes" from "blob_chunks" c join "blobs" b on b."upload_id" = c."upload_id"
         where b."sha256" = ? and c."seq" = 0`,
        [name],
      );
      const bytes = Buffer.from(row.bytes);
      bytes[0] ^= 0x01;
      await sql('update "blob_chunks" set "bytes" = ? where "upload_id" = ? and "seq" = 0', [
        bytes,
        row.upload_id,
      ]);
    },
  };
}

describe.each(['files', 'database'] as const)('blob store: %s', (backend) => {
  let t: TestApp;
  let store: BlobStore;
  let medium: Medium;

  beforeAll(async () => {
    t = await startTestApp({ BLOB_STORE: backend });
    store = t.app.get<BlobStore>(BLOB_STORE);
    medium = backend === 'files' ? fileMedium(store as FileBlobStore) : databaseMedium(t);
  });
  afterAll(() => t.close());

  it('is the backend the configuration names', () => {
    expect(store.kind).toBe(backend);
  });

  it('gives back the bytes it was given, named by their SHA-256', async () => {
    const bytes = Buffer.from('ciphertext bytes \u0000\u00ff of a column', 'utf8');
    const stored = await store.put(bytes);
    expect(stored).toEqual({ sha256: sha256(bytes), sizeBytes: bytes.length });
    expect(await store.has(stored.sha256)).toBe(true);
    expect(await store.size(stored.sha256)).toBe(bytes.length);
    expect(Buffer.compare(await readAll(await store.open(stored.sha256)), bytes)).toBe(0);

    const streamed = await store.put(generated(300_000, 'round trip', 7_001));
    expect(streamed).toEqual(
      await hashOf(generated(300_000, 'round trip')).then((h) => ({ sha256: h.sha256, sizeBytes: h.size })),
    );
    expect(sha256(await readAll(await store.open(streamed.sha256)))).toBe(streamed.sha256);
  });

  it('says so for a blob it does not have', async () => {
    const absent = sha256(Buffer.from('never stored'));
    expect(await store.has(absent)).toBe(false);
    expect(await store.size(absent)).toBeNull();
    await expect(store.open(absent)).rejects.toBeInstanceOf(BlobNotFound);
    await expect(store.open('not-a-hash')).rejects.toMatchObject({ code: 'invalid_sha256' });
  });

  it('stores the same bytes once, also when they arrive in parallel', async () => {
    const size = 2 * BLOB_CHUNK_BYTES + 123;
    const before = { names: (await medium.names()).length, pieces: await medium.pieces() };
    const results = await Promise.all([1, 2, 3].map(() => store.put(generated(size, 'twice'))));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    await store.put(generated(size, 'twice', 1_000_000));
    const after = { names: (await medium.names()).length, pieces: await medium.pieces() };
    expect(after.names - before.names).toBe(1);
    expect(after.pieces - before.pieces).toBe(backend === 'files' ? 1 : 3);
    expect((await hashOf(await store.open(results[0].sha256))).size).toBe(size);
  });

  it('keeps nothing of a stream that breaks off', async () => {
    const before = { names: await medium.names(), pieces: await medium.pieces() };
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield* generated(BLOB_CHUNK_BYTES + 10, 'broken');
      throw new Error('connection reset by the client');
    }
    await expect(store.put(broken())).rejects.toThrow('connection reset by the client');
    expect(await medium.names()).toEqual(before.names);
    expect(await medium.pieces()).toBe(before.pieces);
  });

  it('keeps nothing when the bytes do not hash to the expected SHA-256 or run past the size', async () => {
    const before = { names: await medium.names(), pieces: await medium.pieces() };
    const bytes = Buffer.from('the bytes the client meant to send');
    const other = sha256(Buffer.from('something else'));
    await expect(store.put(bytes, { expectedSha256: other })).rejects.toBeInstanceOf(BlobHashMismatch);
    await expect(
      store.put(generated(2 * BLOB_CHUNK_BYTES, 'long'), { maxBytes: BLOB_CHUNK_BYTES + 1 }),
    ).rejects.toBeInstanceOf(BlobTooLarge);
    expect(await medium.names()).toEqual(before.names);
    expect(await medium.pieces()).toBe(before.pieces);
    expect(await store.has(sha256(bytes))).toBe(false);
    expect(await store.put(bytes, { expectedSha256: sha256(bytes), maxBytes: bytes.length })).toEqual({
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
    });
  });

  it('fails the read stream of a stored blob whose bytes were changed', async () => {
    const stored = await store.put(generated(BLOB_CHUNK_BYTES + 5_000, 'tampered'));
    await medium.tamper(stored.sha256);
    await expect(readAll(await store.open(stored.sha256))).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('streams a blob of tens of MiB in and out', async () => {
    const size = 40 * 1024 * 1024 + 17;
    const expected = await hashOf(generated(size, 'large'));
    const stored = await store.put(generated(size, 'large'));
    expect(stored).toEqual({ sha256: expected.sha256, sizeBytes: size });
    expect(await store.size(stored.sha256)).toBe(size);
    const read = await hashOf(await store.open(stored.sha256));
    expect(read).toEqual(expected);
    if (backend === 'database') {
      const [row] = await sqlOf(t)<{ n: number | string }>(
        `select count(*) as n from "blob_chunks" c join "blobs" b on b."upload_id" = c."upload_id" where b."sha256" = ?`,
        [stored.sha256],
      );
      expect(Number(row.n)).toBe(Math.ceil(size / BLOB_CHUNK_BYTES));
    }
  });
});

describe('which blob store', () => {
  const chosen = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/dx', ...env }).blobStore;

  it('is files beside SQLite and the database on PostgreSQL, unless BLOB_STORE says otherwise', () => {
    expect(chosen({})).toBe('files');
    expect(chosen({ DATABASE_URL: 'sqlite:/tmp/dx/x.sqlite' })).toBe('files');
    expect(chosen({ DATABASE_URL: 'postgres://u:p@db/exchange' })).toBe('database');
    expect(chosen({ DATABASE_URL: 'postgres://u:p@db/exchange', BLOB_STORE: 'files' })).toBe('files');
    expect(chosen({ BLOB_STORE: 'database' })).toBe('database');
    expect(() => chosen({ BLOB_STORE: 's3' })).toThrow('BLOB_STORE');
  });
});
