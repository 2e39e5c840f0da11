import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, loadConfig } from '@app/core';
import { DeliveryFileStore, DeliveryFileTooLarge } from './delivery-file-store.js';
import { fileNameProblem } from './delivery-file.service.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let dataDir: string;
let store: DeliveryFileStore;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'delivery-store-'));
  store = new DeliveryFileStore(loadConfig({ DATA_DIR: dataDir, DELIVERY_FILE_MAX_BYTES: '1000' }));
  await store.onModuleInit();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** Every file under the store, relative to it. */
function everything(): string[] {
  return readdirSync(store.root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(store.root.length + 1))
    .sort();
}

describe('DeliveryFileStore', () => {
  it('names a blob by its SHA-256 under its first two hex digits, and the same bytes twice are one blob', async () => {
    const bytes = randomBytes(700);
    const hex = sha256(bytes);
    expect(await store.put(chunks(bytes.subarray(0, 100), bytes.subarray(100)), hex)).toEqual({
      sha256: hex,
      sizeBytes: 700,
    });
    expect(await store.put(chunks(bytes), null)).toEqual({ sha256: hex, sizeBytes: 700 });
    expect(everything()).toEqual([join(hex.slice(0, 2), hex)]);
    expect(readFileSync(store.pathOf(hex))).toEqual(bytes);
  });

  it('keeps nothing for a mismatched hash, a file past the limit, an empty file or a failing stream', async () => {
    const bytes = randomBytes(10);
    await expect(store.put(chunks(bytes), sha256(Buffer.from('other')))).rejects.toMatchObject({
      code: 'sha256_mismatch',
    });
    await expect(store.put(chunks(randomBytes(600), randomBytes(401)), null)).rejects.toBeInstanceOf(
      DeliveryFileTooLarge,
    );
    await expect(store.put(chunks(), null)).rejects.toMatchObject({ code: 'empty_file' });
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(10);
      throw new Error('connection reset');
    }
    await expect(store.put(failing(), null)).rejects.toThrow('connection reset');
    expect(everything()).toEqual([]);
    // Exactly the limit is accepted.
    expect((await store.put(chunks(randomBytes(1000)), null)).sizeBytes).toBe(1000);
  });

  it('opens a blob only when it has the recorded size, and streams its bytes', async () => {
    const bytes = randomBytes(50);
    const { sha256: hex } = await store.put(chunks(bytes), null);
    const blob = await store.open(hex, 50);
    const read: Buffer[] = [];
    for await (const chunk of blob.stream()) read.push(chunk as Buffer);
    expect(Buffer.concat(read)).toEqual(bytes);
    await expect(store.open(hex, 51)).rejects.toMatchObject({ code: 'file_unavailable' });
    await expect(store.open(sha256(Buffer.from('absent')), 6)).rejects.toBeInstanceOf(DomainError);
  });

  it('removes temporary files left over from a crash a day ago, not younger ones', async () => {
    const incoming = join(store.root, 'incoming');
    writeFileSync(join(incoming, 'old.part'), 'x');
    writeFileSync(join(incoming, 'new.part'), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(join(incoming, 'old.part'), twoDaysAgo, twoDaysAgo);
    await store.onModuleInit();
    expect(readdirSync(incoming)).toEqual(['new.part']);
  });
});

describe('fileNameProblem', () => {
  it.each(['counts.csv', '路口车流量 2025.csv', 'a', 'x'.repeat(255), '.hidden'])('accepts %j', (name) =>
    expect(fileNameProblem(name)).toBeUndefined(),
  );
  it.each([
    '',
    'x'.repeat(256),
    '../x',
    'a/b',
    'a\\b',
    '.',
    '..',
    ' a',
    'a ',
    'a\u0000b',
    'a\nb',
    'a\u0085b',
    '\ud800',
  ])('refuses %j', (name) => expect(fileNameProblem(name)).toEqual(expect.any(String)));
});
