/**
 * HE benchmark. Every figure is a median over `runs` repetitions (5; `n` in the JSON line is the row
 * count), each preceded by a forced GC. Timed figures come twice: wall clock (`figure`) and the main
 * thread's CPU time (`figure.cpu`, process.threadCpuUsage), which other processes on a shared machine
 * inflate far less. Ours and the bare node-seal script run interleaved (alternating which goes first) on
 * the same ciphertext bytes, both after an untimed warm-up, so neither gets warmer caches.
 * - encrypt.csv: streamed CSV text (64 KiB chunks) → validated, packed, seeded-encrypted, zstd, SHA-256.
 * - eval.<recipe>: `evaluateJob` in process with an open session: job validation, SHA-256 check of
 *   every input ciphertext, deserialisation, homomorphic work, output serialisation.
 *   .load is the part spent deserialising (zstd + seed expansion, measured inside the session),
 *   .compute is the rest (so it still includes the hash check and output serialisation).
 * - bare.sum: a direct node-seal script (bare-sum.ts); .load and .compute (adds + 12 rotations) apart.
 * - ratio.*: ours / bare per interleaved pair, median: load+compute and compute-only.
 * - verify.sha256: the input hash check alone, to read .compute by.
 * - worker.sum.end-to-end: `runRecipe` in a worker thread (wall clock), with and without a spare worker.
 */
import {
  decryptAggregates,
  encryptCsv,
  generateKeys,
  publicPart,
  AggregateDecryptor,
  assertIntact,
  createHeContext,
  EvaluationSession,
} from '@app/he';
import { buildJob, evaluateJob, releaseSpareWorker, runRecipe } from '../../sandbox/index.js';
import { isQuick, median, report } from '../report.js';
import { bareEncrypt, bareSum, now, since, type BareTimes, type Clock } from './bare-sum.js';

const BENCH = 'he';
const sizes = isQuick() ? [10_000] : [10_000, 100_000, 1_000_000];
const runs = 5;

function rng(seed: number): () => number {
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

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function timed<T>(fn: () => Promise<T> | T): Promise<[Clock, T]> {
  gc();
  const t = now();
  const v = await fn();
  return [since(t), v];
}

const s = (ms: number) => ms / 1000;
const minus = (a: Clock, b: Clock): Clock => ({ wall: a.wall - b.wall, cpu: a.cpu - b.cpu });
const div = (a: Clock, b: Clock): Clock => ({ wall: a.wall / b.wall, cpu: a.cpu / b.cpu });
const wall = (xs: readonly Clock[]) => xs.map((x) => x.wall);
const cpu = (xs: readonly Clock[]) => xs.map((x) => x.cpu);

/** Reports the medians of per-pair ratios (ours / bare), wall clock and CPU time. */
function reportRatio(figure: string, xs: readonly Clock[], n: number): void {
  report({ bench: BENCH, figure, value: median(wall(xs)), unit: 'x', n });
  report({ bench: BENCH, figure: `${figure}.cpu`, value: median(cpu(xs)), unit: 'x', n });
}

/** Reports the wall-clock median as `figure` and the CPU-time median as `figure.cpu`. */
function reportTimes(figure: string, xs: readonly Clock[], n: number): void {
  report({ bench: BENCH, figure, value: s(median(wall(xs))), unit: 's', n });
  report({ bench: BENCH, figure: `${figure}.cpu`, value: s(median(cpu(xs))), unit: 's', n });
}

const keys = await generateKeys('ckks-8192-d1');
const pub = publicPart(keys);
const he = await createHeContext('ckks-8192-d1');
const keyLoad: Clock[] = [];
for (let i = 0; i < runs; i++)
  keyLoad.push((await timed(async () => (await EvaluationSession.open(pub)).dispose()))[0]);
reportTimes('eval.open-session(keys)', keyLoad, 0);
const session = await EvaluationSession.open(pub);
const galois = new he.seal.GaloisKeys();
galois.loadFromArray(he.context, keys.galoisKeys);

type Job = ReturnType<typeof buildJob>;

/** One timed in-process evaluation: total and the part spent deserialising ciphertexts. */
async function evalOnce(job: Job): Promise<[Clock, Clock, Awaited<ReturnType<typeof evaluateJob>>]> {
  gc();
  const { loadMs, loadCpuMs } = session.stats;
  const t = now();
  const res = await evaluateJob(job, { session });
  const total = since(t);
  return [total, { wall: session.stats.loadMs - loadMs, cpu: session.stats.loadCpuMs - loadCpuMs }, res];
}

for (const n of sizes) {
  const r = rng(n);
  const values = Array.from({ length: n }, () => (r() * 100).toFixed(6));
  const csv = `x\n${values.join('\n')}\n`;
  const spec = [{ name: 'x', kind: 'real' as const, min: 0, max: 100 }];

  const enc: Clock[] = [];
  const bareEnc: Clock[] = [];
  const encRatio: Clock[] = [];
  const parsed = Float64Array.from(values, Number);
  let ds!: Awaited<ReturnType<typeof encryptCsv>>;
  await encryptCsv(chunked(csv.slice(0, 1 << 20)), spec, [keys]); // warm-up
  bareEncrypt(he.seal, he.context, keys.secretKey, keys.publicKey, he.scale, parsed.subarray(0, 1 << 14));
  for (let i = 0; i < runs; i++) {
    const ours = async () => {
      const [t, d] = await timed(() => encryptCsv(chunked(csv), spec, [keys]));
      ds = d;
      enc.push(t);
      return t;
    };
    const bare = async () => {
      const [t] = await timed(() =>
        bareEncrypt(he.seal, he.context, keys.secretKey, keys.publicKey, he.scale, parsed),
      );
      bareEnc.push(t);
      return t;
    };
    let o: Clock;
    let b: Clock;
    if (i % 2 === 0) {
      o = await ours();
      b = await bare();
    } else {
      b = await bare();
      o = await ours();
    }
    encRatio.push(div(o, b));
  }
  const bytes = ds.columns.x.chunks.reduce((a, c) => a + c.bytes.length, 0);
  reportTimes('encrypt.csv', enc, n);
  reportTimes('bare.encrypt', bareEnc, n);
  reportRatio('ratio.encrypt.csv/bare.encrypt', encRatio, n);
  report({ bench: BENCH, figure: 'bytes.per.value', value: bytes / n, unit: 'B', n });

  const weights = Float64Array.from({ length: n }, () => r() * 2 - 1);
  const jobs = {
    sum: buildJob({ dataset: ds, keys: [pub], recipe: 'sum', bindings: { x: 'x' } }),
    mean: buildJob({ dataset: ds, keys: [pub], recipe: 'mean', bindings: { x: 'x' } }),
    variance: buildJob({ dataset: ds, keys: [pub], recipe: 'variance', bindings: { x: 'x' } }),
    'dot-product': buildJob({
      dataset: ds,
      keys: [pub],
      recipe: 'dot-product',
      bindings: { x: 'x' },
      params: { weights },
    }),
  };
  const chunks = ds.columns.x.chunks.map((c) => c.bytes);

  let sumResult!: Awaited<ReturnType<typeof evaluateJob>>;
  for (const name of ['sum', 'mean', 'variance', 'dot-product'] as const) {
    const total: Clock[] = [];
    const load: Clock[] = [];
    await evaluateJob(jobs[name], { session }); // warm-up
    for (let i = 0; i < runs; i++) {
      const [t, l, res] = await evalOnce(jobs[name]);
      if (name === 'sum') sumResult = res;
      total.push(t);
      load.push(l);
    }
    reportTimes(`eval.${name}`, total, n);
    reportTimes(`eval.${name}.load`, load, n);
    reportTimes(
      `eval.${name}.compute`,
      total.map((t, i) => minus(t, load[i])),
      n,
    );
  }

  // Ours against the bare script, interleaved in pairs (the bare script's 245 live ciphertexts also slow
  // what runs after it, so these pairs are reported apart from the figures above). Warm-up first.
  await evaluateJob(jobs.sum, { session });
  bareSum(he.seal, he.context, galois, chunks);

  const ours = { total: [] as Clock[], load: [] as Clock[], compute: [] as Clock[] };
  const bare = { total: [] as Clock[], load: [] as Clock[], compute: [] as Clock[] };
  const ratio = { all: [] as Clock[], compute: [] as Clock[] };
  for (let i = 0; i < runs; i++) {
    const runOurs = async () => {
      const [total, load] = await evalOnce(jobs.sum);
      ours.total.push(total);
      ours.load.push(load);
      ours.compute.push(minus(total, load));
      return { total, compute: minus(total, load) };
    };
    const runBare = (): BareTimes => {
      gc();
      const b = bareSum(he.seal, he.context, galois, chunks);
      bare.total.push(b.total);
      bare.load.push(b.load);
      bare.compute.push(b.compute);
      return b;
    };
    let o: { total: Clock; compute: Clock };
    let b: BareTimes;
    if (i % 2 === 0) {
      o = await runOurs();
      b = runBare();
    } else {
      b = runBare();
      o = await runOurs();
    }
    ratio.all.push(div(o.total, b.total));
    ratio.compute.push(div(o.compute, b.compute));
  }
  reportTimes('pair.eval.sum', ours.total, n);
  reportTimes('pair.eval.sum.load', ours.load, n);
  reportTimes('pair.eval.sum.compute', ours.compute, n);
  reportTimes('pair.bare.sum', bare.total, n);
  reportTimes('pair.bare.sum.load', bare.load, n);
  reportTimes('pair.bare.sum.compute', bare.compute, n);
  reportRatio('ratio.eval.sum/bare.sum', ratio.all, n);
  reportRatio('ratio.eval.sum.compute/bare.sum.compute', ratio.compute, n);

  const verify: Clock[] = [];
  for (let i = 0; i < runs; i++)
    verify.push((await timed(() => ds.columns.x.chunks.forEach((c, k) => assertIntact(c, `chunk ${k}`))))[0]);
  reportTimes('verify.sha256', verify, n);

  // Wall clock only: the job runs in another thread. Jobs are 2 s apart, as from a queue, so the spare
  // booted after each job is ready for the next; `.cold` disables spares (each job boots its own worker).
  for (const [figure, spare] of [
    ['worker.sum.end-to-end', true],
    ['worker.sum.end-to-end.cold', false],
  ] as const) {
    await releaseSpareWorker(); // each loop starts without a spare
    const worker: number[] = [];
    for (let i = 0; i < runs; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      worker.push((await timed(() => runRecipe(jobs.sum, { spare })))[0].wall);
    }
    report({ bench: BENCH, figure, value: s(median(worker)), unit: 's', n });
  }

  const dec = await AggregateDecryptor.open(keys);
  const d1: Clock[] = [];
  const dAll: Clock[] = [];
  for (let i = 0; i < runs; i++) {
    d1.push((await timed(() => dec.decryptAggregate(sumResult.outputs.sx.blob)))[0]);
    dAll.push((await timed(() => decryptAggregates(sumResult.outputs, [keys])))[0]);
  }
  dec.dispose();
  reportTimes('decrypt.aggregate', d1, n);
  reportTimes('decrypt.with-key-load', dAll, n);
}
await releaseSpareWorker();
galois.delete();
session.dispose();
he.dispose();
