import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptAggregates,
  encryptColumns,
  generateKeys,
  publicPart,
  sha256Hex,
  type ColumnSpec,
  type EncryptedDataset,
  type SecretKeyMaterial,
} from '@app/he';
import { importGraph, repositoryRoot } from '../../test/support/import-graph.js';
import { seededRandom as rng } from '../../test/support/seeded-random.js';
import { buildJob, evaluateJob, type JobFilter } from '../index.js';
import { ComputeEngine } from './compute-engine.js';
import type { EngineJob } from './engine-job.js';

const here = dirname(fileURLToPath(import.meta.url));
const EDGES = [0, 10, 25, 50, 100];
const SPECS: ColumnSpec[] = [
  { name: 'x', kind: 'real', min: -50, max: 150 },
  { name: 'y', kind: 'real', min: -150, max: 400 },
  { name: 'z', kind: 'real', min: 0, max: 100, paramSet: 'ckks-8192-d2' },
  { name: 'a', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
  { name: 'b', kind: 'integer', min: 0, max: 100, buckets: EDGES },
  { name: 'g', kind: 'integer', min: 0, max: 9, public: true },
];
/** Bytes of one loaded fresh ciphertext of ckks-8192-d1: 2 polynomials × 3 primes × 8192 × 8. */
const CKKS_D1_CT = 2 * 3 * 8192 * 8;

interface Case {
  recipe: string;
  bindings: Record<string, string | string[]>;
  params?: unknown;
  filter?: JobFilter;
}

describe('ComputeEngine', () => {
  const n = 9000; // 3 CKKS chunks, 2 BFV chunks: both split across 2 threads
  let keys: SecretKeyMaterial[];
  let ds: EncryptedDataset;
  const blobs = new Map<string, Uint8Array>();
  let reads = 0;
  const load = async (sha: string) => {
    reads++;
    const b = blobs.get(sha);
    if (!b) throw new Error(`no blob ${sha}`);
    return b;
  };
  const engines: ComputeEngine[] = [];
  const engine = (opts: Partial<ConstructorParameters<typeof ComputeEngine>[0]>) => {
    const e = new ComputeEngine({ load, cacheBytes: 256 * 1024 * 1024, ...opts });
    engines.push(e);
    return e;
  };
  let one: ComputeEngine;
  let two: ComputeEngine;

  beforeAll(async () => {
    keys = await Promise.all([
      generateKeys('ckks-8192-d1'),
      generateKeys('ckks-8192-d2'),
      generateKeys('bfv-8192-t50'),
    ]);
    const r = rng(7);
    const x = Array.from({ length: n }, () => r() * 200 - 50);
    const y = x.map((v) => 3 + 2 * v + (r() - 0.5) * 40);
    const z = Array.from({ length: n }, () => r() * 100);
    const a = Array.from({ length: n }, () => Math.round((r() * 2000 - 1000) * 100) / 100);
    const b = Array.from({ length: n }, () => Math.floor(r() * 101));
    const g = Array.from({ length: n }, () => Math.floor(r() * 10));
    ds = await encryptColumns(SPECS, [x, y, z, a, b, g], keys);
    for (const c of Object.values(ds.columns)) for (const ch of c.chunks) blobs.set(ch.sha256, ch.bytes);
    for (const k of keys.map(publicPart)) {
      blobs.set(sha256Hex(k.relinKeys), k.relinKeys);
      blobs.set(sha256Hex(k.galoisKeys), k.galoisKeys);
    }
    one = engine({ threads: 1 });
    two = engine({ threads: 2 });
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });

  /** The same job as `buildJob` makes for `evaluateJob`, by hash, with the filter folded into a mask. */
  function engineJob(c: Case): EngineJob {
    const job = buildJob({ dataset: ds, keys: keys.map(publicPart), ...c });
    let mask: Float64Array | undefined;
    if (c.filter) {
      const g = ds.publicColumns[c.filter.column];
      mask = Float64Array.from(g, (v) => (v < (c.filter!.value as number) ? 1 : 0));
      expect(c.filter.op).toBe('lt');
    }
    return {
      recipe: c.recipe,
      params: c.params,
      bindings: c.bindings,
      rows: n,
      columns: Object.fromEntries(
        Object.entries(job.columns).map(([k, col]) => [
          k,
          { spec: col.spec, paramSet: col.paramSet, ciphertexts: col.chunks.map((ch) => ch.sha256) },
        ]),
      ),
      mask,
      keys: job.keys.map((k) => ({
        paramSet: k.paramSet,
        relinKeys: sha256Hex(k.relinKeys),
        galoisKeys: sha256Hex(k.galoisKeys),
      })),
    };
  }

  const r = rng(99);
  const w = Array.from({ length: n }, () => r() * 2 - 1);
  const wi = Array.from({ length: n }, () => Math.floor(r() * 7) - 3);
  const lt4: JobFilter = { column: 'g', op: 'lt', value: 4 };
  const cases: Case[] = [
    { recipe: 'count', bindings: { x: 'x' } },
    { recipe: 'sum', bindings: { x: 'x' } },
    { recipe: 'sum', bindings: { x: 'a' } },
    { recipe: 'mean', bindings: { x: 'x' } },
    { recipe: 'variance', bindings: { x: 'x' }, params: { sample: true } },
    { recipe: 'stddev', bindings: { x: 'a' } },
    { recipe: 'covariance', bindings: { x: 'x', y: 'y' } },
    { recipe: 'correlation', bindings: { x: 'x', y: 'y' } },
    { recipe: 'dot-product', bindings: { x: 'x' }, params: { weights: w } },
    { recipe: 'dot-product', bindings: { x: 'b' }, params: { weights: wi } },
    { recipe: 'histogram', bindings: { x: 'b' } },
    { recipe: 'linear-regression', bindings: { features: ['x'], y: 'y' } },
    { recipe: 'count', bindings: { x: 'x' }, filter: lt4 },
    { recipe: 'sum', bindings: { x: 'x' }, filter: lt4 },
    { recipe: 'mean', bindings: { x: 'a' }, filter: lt4 },
    { recipe: 'variance', bindings: { x: 'z' }, filter: lt4 },
    { recipe: 'dot-product', bindings: { x: 'x' }, params: { weights: w }, filter: lt4 },
    { recipe: 'histogram', bindings: { x: 'b' }, filter: lt4 },
  ];

  it('covers every recipe of the catalogue', async () => {
    const { CATALOGUE } = await import('../catalogue.js');
    expect(new Set(cases.map((c) => c.recipe))).toEqual(new Set(CATALOGUE.keys()));
  });

  it.each(cases.map((c, i) => [`${c.recipe}${c.filter ? ' (masked)' : ''} #${i}`, c] as const))(
    '%s: same result as evaluateJob with 1 and 2 threads',
    async (_label, c) => {
      const want = await evaluateJob(buildJob({ dataset: ds, keys: keys.map(publicPart), ...c }));
      const wantValues = await decryptAggregates(want.outputs, keys);
      for (const e of [one, two]) {
        const { result } = await e.evaluate(engineJob(c));
        expect(result.recipe).toBe(want.recipe);
        expect(result.paramSet).toBe(want.paramSet);
        expect(result.clear).toEqual(want.clear);
        expect(result.inputHashes).toEqual(want.inputHashes);
        expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(want.outputs).sort());
        const names = Object.keys(result.outputs).sort();
        expect(result.outputSha256).toBe(
          sha256Hex(
            new TextEncoder().encode(names.map((k) => `${k}:${result.outputs[k].blob.sha256}`).join('\n')),
          ),
        );
        const got = await decryptAggregates(result.outputs, keys);
        for (const name of names) {
          if (want.paramSet.startsWith('bfv')) expect(got[name]).toBe(wantValues[name]);
          // Two CKKS evaluations differ by their noise only (sums in another order): far below the recipes' 1e-6.
          else
            expect(Math.abs(got[name] - wantValues[name])).toBeLessThanOrEqual(
              1e-7 * Math.max(1, Math.abs(wantValues[name])),
            );
        }
      }
    },
  );

  it('a second job on the same data reads and loads nothing', async () => {
    const e = engine({ threads: 2 });
    const job = engineJob({ recipe: 'covariance', bindings: { x: 'x', y: 'y' } });
    const cold = await e.evaluate(job);
    expect(cold.timings.loadedChunks).toBe(6);
    expect(cold.timings.cachedChunks).toBe(0);
    expect(cold.timings.threads).toBe(2);
    const before = reads;
    const warm = await e.evaluate(engineJob({ recipe: 'mean', bindings: { x: 'y' } }));
    expect(reads).toBe(before);
    expect(warm.timings).toMatchObject({ loadedChunks: 0, cachedChunks: 3, fetchMs: expect.any(Number) });
    const values = await decryptAggregates(warm.result.outputs, keys);
    const plain = await decryptAggregates(
      (
        await evaluateJob(
          buildJob({ dataset: ds, keys: keys.map(publicPart), recipe: 'mean', bindings: { x: 'y' } }),
        )
      ).outputs,
      keys,
    );
    expect(Math.abs(values.sx - plain.sx)).toBeLessThanOrEqual(1e-7 * Math.abs(plain.sx));
  });

  it('keeps the cache within its bytes, evicting least recently used and deleting what it drops', async () => {
    const budget = Math.floor(2.5 * CKKS_D1_CT);
    const e = engine({ threads: 1, cacheBytes: budget });
    let loaded = 0;
    const sum = async (col: string) => {
      const { timings } = await e.evaluate(engineJob({ recipe: 'sum', bindings: { x: col } }));
      loaded += timings.loadedChunks;
      return timings;
    };
    expect(await sum('x')).toMatchObject({ loadedChunks: 3, cachedChunks: 0 });
    let [s] = await e.stats();
    expect(s).toMatchObject({ entries: 2, bytes: 2 * CKKS_D1_CT, budget });
    // The two most recent chunks of x are still loaded; the first is read and loaded again.
    expect(await sum('x')).toMatchObject({ loadedChunks: 1, cachedChunks: 2 });
    expect(await sum('y')).toMatchObject({ loadedChunks: 3, cachedChunks: 0 });
    [s] = await e.stats();
    expect(s.bytes).toBeLessThanOrEqual(budget);
    expect(s.entries).toBe(2);
    // Every ciphertext the thread loaded is either still cached or was deleted (WebAssembly memory freed).
    expect(s.deleted).toBe(loaded - s.entries);
    expect(s.sessions).toBe(1);
  });

  it('refuses a tampered chunk and a missing blob before computing anything', async () => {
    const e = engine({ threads: 1 });
    const job = engineJob({ recipe: 'sum', bindings: { x: 'x' } });
    const victim = job.columns.x.ciphertexts[1];
    const tampering = new ComputeEngine({
      cacheBytes: 64 * 1024 * 1024,
      threads: 1,
      load: async (sha) => {
        const b = (await load(sha)).slice();
        if (sha === victim) b[b.length >> 1] ^= 1;
        return b;
      },
    });
    engines.push(tampering);
    await expect(tampering.evaluate(job)).rejects.toMatchObject({ name: 'IntegrityError' });
    expect((await tampering.stats())[0]).toMatchObject({ entries: 0, sessions: 0 });
    const missing = {
      ...job,
      columns: { x: { ...job.columns.x, ciphertexts: [victim, 'f'.repeat(64), victim] } },
    };
    await expect(e.evaluate(missing)).rejects.toMatchObject({ name: 'MissingBlob' });
    const noKeys = { ...job, keys: [{ ...job.keys[0], galoisKeys: 'e'.repeat(64) }] };
    await expect(e.evaluate(noKeys)).rejects.toMatchObject({ name: 'MissingBlob' });
    expect((await e.stats())[0]).toMatchObject({ entries: 0, sessions: 0 });
    await expect(e.evaluate({ ...job, recipe: 'median' })).rejects.toMatchObject({ name: 'JobRejected' });
  });

  it('stops a job past its time limit; close() ends every thread', async () => {
    const e = engine({ threads: 2, limits: { timeoutMs: 1 } });
    await expect(e.evaluate(engineJob({ recipe: 'sum', bindings: { x: 'x' } }))).rejects.toMatchObject({
      name: 'Timeout',
    });
    expect(e.aliveThreads).toBe(2);
    await e.close();
    expect(e.aliveThreads).toBe(0);
    await expect(e.evaluate(engineJob({ recipe: 'sum', bindings: { x: 'x' } }))).rejects.toMatchObject({
      name: 'WorkerCrashed',
    });
  });

  it('the engine and its threads cannot reach any secret-key module or the file system', () => {
    const graph = importGraph(join(here, 'compute-engine.ts'));
    const he = (f: string) => join(repositoryRoot, 'libs/he/src', f);
    expect(graph.has(join(here, 'engine-thread.ts'))).toBe(true);
    expect(graph.has(join(here, 'share-evaluator.ts'))).toBe(true);
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
    for (const mod of graph) {
      expect(mod).not.toMatch(/^(node:)?(fs|fs\/promises|child_process|net|http|https)$/);
      expect(mod).not.toMatch(/libs\/(?!he\/)/);
    }
  });
});
