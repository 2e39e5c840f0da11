import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptAggregates,
  encryptColumns,
  generateKeys,
  publicPart,
  sealSecretKey,
  type EncryptedDataset,
  type SecretKeyMaterial,
} from '@app/he';
import { importGraph, repositoryRoot } from '../test/support/import-graph.js';
import { buildJob, finishJob, parseJob, releaseSpareWorker, runRecipe, type JobPayload } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('sandbox runner', () => {
  let bfv: SecretKeyMaterial;
  let ds: EncryptedDataset;
  const xs = Array.from({ length: 50 }, (_, i) => (i * 37) % 101);
  let job: JobPayload;
  beforeAll(async () => {
    bfv = await generateKeys('bfv-8192-t50');
    ds = await encryptColumns(
      [
        { name: 'x', kind: 'integer', min: 0, max: 100 },
        { name: 'w', kind: 'integer', min: 0, max: 100 },
      ],
      [xs, xs],
      [bfv],
    );
    job = buildJob({ dataset: ds, keys: [publicPart(bfv)], recipe: 'sum', bindings: { x: 'x' } });
  });
  afterAll(releaseSpareWorker);

  it('evaluates in an isolated worker thread and returns input and output hashes', async () => {
    const result = await runRecipe(job, { timeoutMs: 60_000 });
    expect(result.inputHashes.x).toEqual(ds.columns.x.chunks.map((c) => c.sha256));
    expect(result.outputSha256).toMatch(/^[0-9a-f]{64}$/);
    const values = await decryptAggregates(result.outputs, [bfv]);
    expect(finishJob(result, values)).toBe(xs.reduce((a, b) => a + b, 0));
  });

  it('refuses a ciphertext with a flipped byte before evaluating', async () => {
    const chunk = ds.columns.x.chunks[0];
    for (const at of [0, 17, chunk.bytes.length >> 1, chunk.bytes.length - 1]) {
      const bytes = chunk.bytes.slice();
      bytes[at] ^= 0x01;
      const bad = { ...job, columns: { x: { ...job.columns.x, chunks: [{ bytes, sha256: chunk.sha256 }] } } };
      await expect(runRecipe(bad)).rejects.toMatchObject({ name: 'IntegrityError' });
    }
  });

  it('refuses columns and roles the recipe did not declare', async () => {
    const extra = { ...job, columns: { ...job.columns, w: ds.columns.w } };
    await expect(runRecipe(extra)).rejects.toMatchObject({
      name: 'JobRejected',
      message: expect.stringMatching(/w is not an input/),
    });
    const role = { ...job, bindings: { x: 'x', y: 'w' }, columns: { ...job.columns, w: ds.columns.w } };
    await expect(runRecipe(role)).rejects.toMatchObject({
      name: 'JobRejected',
      message: expect.stringMatching(/declares no input y/),
    });
  });

  it('rejects payloads shaped like a secret key', async () => {
    const k = job.keys[0];
    expect(() => parseJob({ ...job, keys: [{ ...k, secretKey: bfv.secretKey }] })).toThrow(/secret material/);
    expect(() => parseJob({ ...job, params: { nested: { passphrase: 'x' } } })).toThrow(/secret material/);
    const file = await sealSecretKey(bfv, 'correct horse battery staple');
    expect(() => parseJob({ ...job, keys: [{ ...k, relinKeys: file }] })).toThrow(/secret key file/);
    // A raw serialised secret key smuggled in as an evaluation key fails to load as one.
    await expect(runRecipe({ ...job, keys: [{ ...k, relinKeys: bfv.secretKey }] })).rejects.toThrow();
  });

  it('terminates a job that exceeds its time limit', async () => {
    await expect(runRecipe(job, { timeoutMs: 50 })).rejects.toMatchObject({ name: 'Timeout' });
  });

  it('the worker entry cannot reach any secret-key module or the file system', () => {
    const graph = importGraph(join(here, 'runner-worker.ts'));
    const he = (f: string) => join(repositoryRoot, 'libs/he/src', f);
    expect(graph.has(join(here, 'evaluate-job.ts'))).toBe(true);
    expect(graph.has(he('evaluation-session.ts'))).toBe(true);
    for (const secret of [
      'index.ts',
      'data-holder.ts',
      'key-generation.ts',
      'keystore.ts',
      'column-encryptor.ts',
      'dataset-encoder.ts',
      'aggregate-decryptor.ts',
    ]) {
      expect(graph.has(he(secret))).toBe(false);
    }
    for (const mod of graph)
      expect(mod).not.toMatch(/^(node:)?(fs|fs\/promises|child_process|net|http|https)$/);
  });
});
