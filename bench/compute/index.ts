/**
 * Compute benchmark: the sandbox worker's evaluation engine against the bare node-seal script, in one run.
 * Every figure is a median over `runs` repetitions (`n` in the JSON line is the row count). Wall clock throughout
 * (the engine works in other threads, so this thread's CPU time says nothing).
 * - upload.bytes.per.value: stored ciphertext bytes per value (what `exchange dataset upload` sends).
 * - encrypt.csv: merchant-side encryption as `exchange dataset upload` does it (`encryptCsv` of @app/he over a
 *   streamed CSV: validate, pack, seeded-encrypt, zstd, SHA-256).
 * - engine.sum.cold.t<k>: a `ComputeEngine` with k threads and no cache: read every chunk (from memory, as the bare
 *   script has them), check its SHA-256, load it into SEAL, add, slot-sum, serialise; `.load` and `.compute` apart
 *   (the engine's own `EngineTimings`). Key sessions are open in both (the bare script loads its keys untimed).
 * - engine.sum.warm.t<k>: the same job again on an engine that keeps the chunks loaded.
 * - bare.sum.load, bare.sum.compute: the bare script (bench/he/bare-sum.ts): deserialise; add + 12 rotations.
 * - ratio.cold.t<k>: engine cold / (bare load + compute); ratio.warm.t<k>: engine warm / bare compute; per
 *   interleaved pair, median. Aims (issue 11, at 10^6): cold ≤ 1.3, warm ≤ 1.1 and < 1 with 2 threads.
 * `--quick`: 10^4 rows only (CI). The helpers are exported so a second section (queue and worker processes) can
 * reuse the dataset and the bare pair.
 */
import {
  createHeContext,
  encryptCsv,
  generateKeys,
  publicPart,
  sha256Hex,
  type EncryptedDataset,
  type SecretKeyMaterial,
} from '@app/he';
import { ComputeEngine, type EngineJob } from '../../sandbox/index.js';
import { bareSum } from '../he/bare-sum.js';
import { isQuick, median, report } from '../report.js';
import { queueSection } from './queue.js';

const BENCH = 'compute';
const gc = () => (globalThis as { gc?: () => void }).gc?.();

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function* chunked(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 1 << 16) yield text.slice(i, i + (1 << 16));
}

export interface BenchDataset {
  readonly n: number;
  readonly ds: EncryptedDataset;
  /** Blob store stand-in: every ciphertext and evaluation key by SHA-256. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly encryptMs: number;
}

/** Encrypts n reals in [0, 100) as `exchange dataset upload` does; returns the dataset and its blobs by hash. */
export async function encryptDataset(n: number, keys: SecretKeyMaterial): Promise<BenchDataset> {
  const r = rng(n);
  const csv = `x\n${Array.from({ length: n }, () => (r() * 100).toFixed(6)).join('\n')}\n`;
  gc();
  const t = performance.now();
  const ds = await encryptCsv(chunked(csv), [{ name: 'x', kind: 'real', min: 0, max: 100 }], [keys]);
  const encryptMs = performance.now() - t;
  const blobs = new Map<string, Uint8Array>();
  for (const c of ds.columns.x.chunks) blobs.set(c.sha256, c.bytes);
  const pub = publicPart(keys);
  blobs.set(sha256Hex(pub.relinKeys), pub.relinKeys);
  blobs.set(sha256Hex(pub.galoisKeys), pub.galoisKeys);
  return { n, ds, blobs, encryptMs };
}

/** The engine job of a sum over column x, by hash. */
export function sumJob(d: BenchDataset, keys: SecretKeyMaterial): EngineJob {
  const pub = publicPart(keys);
  const x = d.ds.columns.x;
  return {
    recipe: 'sum',
    bindings: { x: 'x' },
    rows: d.n,
    columns: { x: { spec: x.spec, paramSet: x.paramSet, ciphertexts: x.chunks.map((c) => c.sha256) } },
    keys: [
      { paramSet: pub.paramSet, relinKeys: sha256Hex(pub.relinKeys), galoisKeys: sha256Hex(pub.galoisKeys) },
    ],
  };
}

export const loaderOf =
  (blobs: ReadonlyMap<string, Uint8Array>) =>
  (sha: string): Promise<Uint8Array> => {
    const b = blobs.get(sha);
    return b ? Promise.resolve(b) : Promise.reject(new Error(`no blob ${sha}`));
  };

const s = (ms: number) => ms / 1000;
const fig = (figure: string, value: number, unit: string, n: number) =>
  report({ bench: BENCH, figure, value, unit, n });

async function main(): Promise<void> {
  const quick = isQuick();
  // --rows=1000000 and --threads=2 (comma-separated) narrow a run to one size or thread count.
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (v: string | undefined) => v?.split(',').map(Number);
  const sizes = list(arg('rows')) ?? (quick ? [10_000] : [10_000, 100_000, 1_000_000]);
  const keys = await generateKeys('ckks-8192-d1');
  const he = await createHeContext('ckks-8192-d1');
  const galois = new he.seal.GaloisKeys();
  galois.loadFromArray(he.context, keys.galoisKeys);
  const threadCounts = list(arg('threads')) ?? [1, 2];

  for (const n of sizes) {
    const runs = n >= 1_000_000 ? 3 : 5;
    const enc: number[] = [];
    let d!: BenchDataset;
    for (let i = 0; i < (quick ? 2 : 3); i++) {
      d = await encryptDataset(n, keys);
      enc.push(d.encryptMs);
    }
    const chunks = d.ds.columns.x.chunks;
    fig('upload.bytes.per.value', chunks.reduce((a, c) => a + c.bytes.length, 0) / n, 'B', n);
    fig('encrypt.csv', s(median(enc)), 's', n);

    const load = loaderOf(d.blobs);
    const job = sumJob(d, keys);
    const bytes = chunks.map((c) => c.bytes);
    for (const t of threadCounts) {
      const cold = new ComputeEngine({ load, cacheBytes: 0, threads: t });
      const warm = new ComputeEngine({ load, cacheBytes: 2 * 1024 ** 3, threads: t });
      await cold.evaluate(job); // boots threads, opens key sessions
      await warm.evaluate(job); // loads the chunks
      bareSum(he.seal, he.context, galois, bytes); // warm-up
      const c = { total: [] as number[], load: [] as number[], compute: [] as number[] };
      const w = { total: [] as number[], compute: [] as number[] };
      const b = { load: [] as number[], compute: [] as number[] };
      const ratio = { cold: [] as number[], warm: [] as number[] };
      for (let i = 0; i < runs; i++) {
        const engineCold = async () => {
          gc();
          const t0 = performance.now();
          const { timings } = await cold.evaluate(job);
          c.total.push(performance.now() - t0);
          c.load.push(timings.loadMs);
          c.compute.push(timings.computeMs);
          if (timings.cachedChunks !== 0) throw new Error('cold run found cached chunks');
        };
        const engineWarm = async () => {
          gc();
          const t0 = performance.now();
          const { timings } = await warm.evaluate(job);
          w.total.push(performance.now() - t0);
          w.compute.push(timings.computeMs);
          if (timings.loadedChunks !== 0) throw new Error('warm run loaded chunks');
        };
        const bare = () => {
          gc();
          const r = bareSum(he.seal, he.context, galois, bytes);
          b.load.push(r.load.wall);
          b.compute.push(r.compute.wall);
        };
        // Alternate which goes first, so neither gets the warmer caches.
        if (i % 2 === 0) {
          await engineCold();
          await engineWarm();
          bare();
        } else {
          bare();
          await engineWarm();
          await engineCold();
        }
        ratio.cold.push(c.total[i] / (b.load[i] + b.compute[i]));
        ratio.warm.push(w.total[i] / b.compute[i]);
      }
      await cold.close();
      await warm.close();
      fig(`engine.sum.cold.t${t}`, s(median(c.total)), 's', n);
      fig(`engine.sum.cold.t${t}.load`, s(median(c.load)), 's', n);
      fig(`engine.sum.cold.t${t}.compute`, s(median(c.compute)), 's', n);
      fig(`engine.sum.warm.t${t}`, s(median(w.total)), 's', n);
      fig(`bare.sum.load`, s(median(b.load)), 's', n);
      fig(`bare.sum.compute`, s(median(b.compute)), 's', n);
      fig(`ratio.cold.t${t}`, median(ratio.cold), 'x', n);
      fig(`ratio.warm.t${t}`, median(ratio.warm), 'x', n);
    }
  }
  galois.delete();
  await queueSection({ quick, sizes: list(arg('rows'))?.filter((n) => n >= 10_000) });
}

if (process.argv[1]?.includes('bench/compute')) await main();
