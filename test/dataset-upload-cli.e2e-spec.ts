import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_STORE, readAll, type BlobStore } from '@app/blobs';
import { AggregateDecryptor, openSecretKey, type SecretKeyMaterial } from '@app/he';
import { KEYSTORE_MAGIC } from '@app/he/evaluation';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { runCliAgainst } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';

/**
 * The merchant's side of an encrypted upload (issue 11 item 2, P1): `exchange keys init` seals the HE key set under a
 * passphrase; `exchange dataset upload` checks the CSV against the asset, encrypts it on the merchant's side and
 * drives the resumable upload — the exchange stores ciphertexts that decrypt to the CSV's values, and never the
 * values of a column that is not public.
 */
let t: TestApp;
let dir: string;
let merchant: Party;
let assetId: string;
let keyFile: string;
let keys: SecretKeyMaterial;
let store: BlobStore;

const PASSPHRASE = 'correct horse battery staple';
const ROWS = 10_000; // two BFV ciphertexts of 8192 slots
const SPEC = { vehicle_count: { kind: 'integer', min: 0, max: 100_000 } };

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCliAgainst(t, merchant.client.token!, args, { EXCHANGE_KEY_PASSPHRASE: PASSPHRASE, ...env });

const uploadArgs = (csv: string) => [
  'dataset',
  'upload',
  '--asset',
  assetId,
  '--csv',
  csv,
  '--keys',
  keyFile,
  '--spec',
  join(dir, 'spec.json'),
];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A CSV of the fixture asset: intersection_id (public) and vehicle_count (encrypted), counts 10 000 … 99 999. */
function csvOf(seed: number, rows = ROWS): { text: string; ids: number[]; counts: number[] } {
  const random = seededRandom(seed);
  const ids: number[] = [];
  const counts: number[] = [];
  const lines = ['intersection_id,vehicle_count'];
  for (let r = 0; r < rows; r++) {
    ids.push(r % 1200);
    counts.push(10_000 + Math.floor(random() * 90_000));
    lines.push(`${ids[r]},${counts[r]}`);
  }
  return { text: `${lines.join('\r\n')}\r\n`, ids, counts };
}

interface Dataset {
  id: string;
  version: number;
  state: string;
  manifestHash: string;
  rowCount: number;
  manifest: {
    chunks: { kind: string; column?: string; index?: number; sha256: string; sizeBytes: number }[];
  };
  receivedChunks: number[];
  missingChunks: number[];
}

async function dataset(id: string): Promise<Dataset> {
  const reply = await merchant.client.get(`/v1/datasets/${id}`);
  expect(reply.status).toBe(200);
  return reply.body as Dataset;
}

const blob = async (hash: string) => new Uint8Array(await readAll(await store.open(hash)));

/** The decrypted values of a stored encrypted column, row by row. */
async function decryptedColumn(d: Dataset, column: string): Promise<number[]> {
  const decryptor = await AggregateDecryptor.open(keys);
  try {
    const chunks = d.manifest.chunks
      .filter((c) => c.kind === 'ciphertext' && c.column === column)
      .sort((a, b) => a.index! - b.index!);
    const values: number[] = [];
    for (const chunk of chunks) {
      const count = Math.min(8192, d.rowCount - chunk.index! * 8192);
      values.push(
        ...decryptor.decryptSlots({ bytes: await blob(chunk.sha256), sha256: chunk.sha256 }, count),
      );
    }
    return values;
  } finally {
    decryptor.dispose();
  }
}

/** The ways a value could sit in a blob in plaintext: decimal text, float64 and int64 little-endian. */
function encodings(value: number): Buffer[] {
  const f64 = Buffer.alloc(8);
  f64.writeDoubleLE(value);
  const i64 = Buffer.alloc(8);
  i64.writeBigInt64LE(BigInt(value));
  return [Buffer.from(String(value)), f64, i64];
}

const datasetsOfAsset = async () =>
  ((await merchant.client.get(`/v1/datasets?assetId=${assetId}`)).body as { datasets: unknown[] }).datasets;

beforeAll(async () => {
  t = await startTestApp();
  const world = new World(t);
  const operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  assetId = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
  store = t.app.get<BlobStore>(BLOB_STORE);
  dir = await mkdtemp(join(tmpdir(), 'dataset-cli-'));
  await writeFile(join(dir, 'spec.json'), JSON.stringify(SPEC));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

describe('exchange keys init', () => {
  it('writes the key set sealed under the passphrase, mode 0600, prints no secret, and never overwrites', async () => {
    keyFile = join(dir, 'merchant.hekeys');
    const made = await cli(['keys', 'init', '--out', keyFile]);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(made.stdout);
    expect(printed).toMatchObject({ for: 'data', keyFile, paramSet: 'bfv-8192-t50' });
    expect(made.stdout).not.toContain(PASSPHRASE);

    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const sealed = await readFile(keyFile);
    expect(sealed.subarray(0, KEYSTORE_MAGIC.length)).toEqual(Buffer.from(KEYSTORE_MAGIC));
    await expect(openSecretKey(sealed, 'not the passphrase at all')).rejects.toThrow(/wrong passphrase/);
    keys = await openSecretKey(sealed, PASSPHRASE);
    expect(keys.paramSet).toBe('bfv-8192-t50');
    expect(printed.publicKeySha256).toBe(sha256(keys.publicKey));
    // Sealed: neither the secret key nor the public keys are in the file as they are.
    expect(sealed.includes(Buffer.from(keys.secretKey.subarray(0, 64)))).toBe(false);
    expect(sealed.includes(Buffer.from(keys.publicKey.subarray(0, 64)))).toBe(false);

    const again = await cli(['keys', 'init', '--out', keyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; a key file is never overwritten');
    expect(await readFile(keyFile)).toEqual(sealed);

    const short = await cli(['keys', 'init', '--out', join(dir, 'short.hekeys')], {
      EXCHANGE_KEY_PASSPHRASE: 'too short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect(existsSync(join(dir, 'short.hekeys'))).toBe(false);
  }, 180_000);
});

describe('exchange dataset upload', () => {
  it('uploads ciphertexts that decrypt to the CSV, the public column as numbers, and no plaintext of the rest', async () => {
    const { text, ids, counts } = csvOf(1);
    const csv = join(dir, 'counts.csv');
    await writeFile(csv, text);
    const run = await cli([
      'dataset',
      'upload',
      '--asset',
      assetId,
      '--csv',
      csv,
      '--keys',
      keyFile,
      '--spec',
      join(dir, 'spec.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/encrypting: 10000 rows/);
    expect(run.stderr).toMatch(/uploading: 6 of 6 chunks/);
    const printed = JSON.parse(run.stdout);
    const d = await dataset(printed.datasetId);
    expect(printed).toMatchObject({
      assetId,
      version: d.version,
      state: 'ready',
      manifestHash: d.manifestHash,
      rowCount: ROWS,
      chunkCount: 6,
    });
    expect(d.manifest.chunks.map((c) => c.kind).sort()).toEqual(
      ['ciphertext', 'ciphertext', 'galoisKeys', 'publicColumn', 'publicKey', 'relinKeys'].sort(),
    );
    expect(existsSync(`${csv}.upload`)).toBe(false); // the spool is gone once the version is ready

    expect(await decryptedColumn(d, 'vehicle_count')).toEqual(counts);
    const publicChunk = d.manifest.chunks.find((c) => c.kind === 'publicColumn')!;
    const publicBytes = await blob(publicChunk.sha256);
    expect(Array.from(new Float64Array(publicBytes.buffer, publicBytes.byteOffset, ROWS))).toEqual(ids);

    // No stored blob holds a vehicle count in plaintext (text, float64 or int64); the scan finds the public ones.
    const blobs = await Promise.all(
      d.manifest.chunks.map((c) => blob(c.sha256)).map(async (b) => Buffer.from(await b)),
    );
    const sample = counts.filter((_, r) => r % 97 === 0);
    for (const value of sample) {
      for (const encoded of encodings(value)) {
        expect(blobs.findIndex((b) => b.includes(encoded))).toBe(-1);
      }
    }
    expect(Buffer.from(publicBytes).includes(encodings(ids[1199])[1])).toBe(true);
  }, 300_000);

  it('refuses a CSV whose header does not match the asset before anything is encrypted or uploaded', async () => {
    const before = await datasetsOfAsset();
    const csv = join(dir, 'extra.csv');
    await writeFile(csv, 'intersection_id,vehicle_count,driver_name\n1,12000,张三\n');
    const run = await cli([
      'dataset',
      'upload',
      '--asset',
      assetId,
      '--csv',
      csv,
      '--keys',
      keyFile,
      '--spec',
      join(dir, 'spec.json'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'the CSV header does not match the asset: driver_name is not among its registered',
    );
    expect(run.stdout).toBe('');
    expect(existsSync(`${csv}.upload`)).toBe(false);
    expect(await datasetsOfAsset()).toEqual(before);

    const twice = join(dir, 'twice.csv');
    await writeFile(twice, 'vehicle_count,vehicle_count\n1,2\n');
    const refused = await cli(['dataset', 'upload', '--asset', assetId, '--csv', twice, '--keys', keyFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('names column vehicle_count twice');
    expect(await datasetsOfAsset()).toEqual(before);

    // A value outside the declared range stops the encryption: nothing is sent, the value is not echoed.
    const outside = join(dir, 'outside.csv');
    await writeFile(outside, 'intersection_id,vehicle_count\n1,12000\n2,123456789\n');
    const range = await cli([...uploadArgs(outside)]);
    expect(range.code).toBe(1);
    expect(range.stderr).toContain('row 2, column vehicle_count: outside declared range');
    expect(range.stderr).not.toContain('123456789');
    expect(existsSync(`${outside}.upload`)).toBe(false);
    expect(await datasetsOfAsset()).toEqual(before);

    // --spool pointed at a directory of the user's: refused, nothing in it deleted.
    const mine = join(dir, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    const foreign = await cli([...uploadArgs(join(dir, 'counts.csv')), '--spool', mine]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('is not an upload spool (it holds notes.txt)');
    expect(await readFile(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(await datasetsOfAsset()).toEqual(before);

    // --spec describes encrypted columns only: it cannot declare a column public.
    const sneaky = join(dir, 'sneaky.json');
    await writeFile(sneaky, JSON.stringify({ vehicle_count: { ...SPEC.vehicle_count, public: true } }));
    const smuggled = await cli([...uploadArgs(outside).slice(0, -1), sneaky]);
    expect(smuggled.code).toBe(1);
    expect(smuggled.stderr).toContain('--spec vehicle_count: unknown public');
    expect(await datasetsOfAsset()).toEqual(before);
  }, 120_000);

  it('resumes an interrupted upload, sending only the missing chunks, byte for byte the ones encrypted first', async () => {
    const { text, counts } = csvOf(2);
    const csv = join(dir, 'interrupted.csv');
    await writeFile(csv, text);
    const args = [
      'dataset',
      'upload',
      '--asset',
      assetId,
      '--csv',
      csv,
      '--keys',
      keyFile,
      '--spec',
      join(dir, 'spec.json'),
    ];
    const stopped = await cli(args, { EXCHANGE_UPLOAD_STOP_AFTER_CHUNKS: '2' });
    expect(stopped.code).toBe(75);
    expect(stopped.stdout).toBe('');
    const id = /dataset ([0-9a-f-]{36}), version/.exec(stopped.stderr)![1];
    const partial = await dataset(id);
    expect(partial).toMatchObject({
      state: 'uploading',
      receivedChunks: [0, 1],
      missingChunks: [2, 3, 4, 5],
    });

    // Damage the spooled copies of the chunks already received: a resume that sent them again would be refused
    // (sha256_mismatch), so success shows only the missing ones travel.
    const spool = `${csv}.upload`;
    for (const n of partial.receivedChunks) {
      await writeFile(join(spool, partial.manifest.chunks[n].sha256), Buffer.from('not the chunk'));
    }
    const resumed = await cli([...args, '--resume', id]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming the upload of dataset ${id}`);
    expect(resumed.stderr).toContain('4 of 6 chunks missing on the exchange');
    const printed = JSON.parse(resumed.stdout);
    expect(printed).toMatchObject({
      datasetId: id,
      version: partial.version,
      manifestHash: partial.manifestHash,
      state: 'ready',
    });
    expect(existsSync(spool)).toBe(false);
    expect(await decryptedColumn(await dataset(id), 'vehicle_count')).toEqual(counts);

    // Resuming a dataset whose chunks are not in the spool says why it cannot be done.
    const missing = await cli([...args, '--resume', id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('holds no upload of that dataset');
  }, 300_000);

  it('resumes by itself from the spool when the same command runs again', async () => {
    const { text, counts } = csvOf(3, 20_000); // three ciphertexts
    const csv = join(dir, 'again.csv');
    await writeFile(csv, text);
    const args = [
      'dataset',
      'upload',
      '--asset',
      assetId,
      '--csv',
      csv,
      '--keys',
      keyFile,
      '--spec',
      join(dir, 'spec.json'),
    ];
    const stopped = await cli(args, { EXCHANGE_UPLOAD_STOP_AFTER_CHUNKS: '1' });
    expect(stopped.code).toBe(75);
    const spooled = (await readdir(`${csv}.upload`)).filter((name) => name !== 'state.json').sort();
    const again = await cli(args, { EXCHANGE_KEY_PASSPHRASE: '' }); // no key is opened on a resume
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('6 of 7 chunks missing on the exchange');
    const d = await dataset(JSON.parse(again.stdout).datasetId);
    expect(d.manifest.chunks.map((c) => c.sha256).sort()).toEqual(spooled);
    expect(await decryptedColumn(d, 'vehicle_count')).toEqual(counts);
  }, 300_000);
});
