import {
  decryptAggregates,
  encryptCsv,
  generateKeys,
  publicPart,
  AggregateDecryptor,
  createHeContext,
  EvaluationSession,
} from '@app/he';
import { buildJob, evaluateJob, runRecipe } from '../../sandbox/index.js';
import { isQuick, median, report } from '../report.js';
import { bareSum } from './bare-sum.js';

const BENCH = 'he';
const sizes = isQuick() ? [10_000] : [10_000, 100_000, 1_000_000];

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

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  (globalThis as { gc?: () => void }).gc?.();
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

const keys = await generateKeys('ckks-8192-d1');
const pub = publicPart(keys);
const he = await createHeContext('ckks-8192-d1');
const keyLoad: number[] = [];
for (let i = 0; i < 3; i++)
  keyLoad.push((await timed(async () => (await EvaluationSession.open(pub)).dispose()))[0]);
report({ bench: BENCH, figure: 'eval.open-session(keys)', value: median(keyLoad) / 1000, unit: 's', n: 0 });
const session = await EvaluationSession.open(pub);
const galois = new he.seal.GaloisKeys();
galois.loadFromArray(he.context, keys.galoisKeys);

for (const n of sizes) {
  const runs = n >= 1_000_000 ? 3 : 5;
  const r = rng(n);
  const values = Array.from({ length: n }, () => (r() * 100).toFixed(6));
  const csv = `x\n${values.join('\n')}\n`;
  const spec = [{ name: 'x', kind: 'real' as const, min: 0, max: 100 }];

  const enc: number[] = [];
  let ds!: Awaited<ReturnType<typeof encryptCsv>>;
  for (let i = 0; i < runs; i++) {
    const [ms, d] = await timed(() => encryptCsv(chunked(csv), spec, [keys]));
    enc.push(ms);
    ds = d;
  }
  const bytes = ds.columns.x.chunks.reduce((a, c) => a + c.bytes.length, 0);
  report({ bench: BENCH, figure: 'encrypt.csv', value: median(enc) / 1000, unit: 's', n });
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
  let sumResult!: Awaited<ReturnType<typeof evaluateJob>>;
  for (const [name, job] of Object.entries(jobs)) {
    const t: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [ms, res] = await timed(() => evaluateJob(job, { session }));
      t.push(ms);
      if (name === 'sum') sumResult = res;
    }
    report({ bench: BENCH, figure: `eval.${name}`, value: median(t) / 1000, unit: 's', n });
  }

  const bare: number[] = [];
  const bareCompute: number[] = [];
  const chunks = ds.columns.x.chunks.map((c) => c.bytes);
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const [all, compute] = bareSum(he.seal, he.context, galois, chunks);
    bare.push(all);
    bareCompute.push(compute);
  }
  report({ bench: BENCH, figure: 'bare.sum', value: median(bare) / 1000, unit: 's', n });
  report({ bench: BENCH, figure: 'bare.sum.add+rotate', value: median(bareCompute) / 1000, unit: 's', n });
  const evalSum: number[] = [];
  for (let i = 0; i < runs; i++) evalSum.push((await timed(() => evaluateJob(jobs.sum, { session })))[0]);
  report({
    bench: BENCH,
    figure: 'ratio.eval.sum/bare.sum',
    value: median(evalSum) / median(bare),
    unit: 'x',
    n,
  });

  const worker: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) worker.push((await timed(() => runRecipe(jobs.sum)))[0]);
  report({ bench: BENCH, figure: 'worker.sum.end-to-end', value: median(worker) / 1000, unit: 's', n });

  const dec = await AggregateDecryptor.open(keys);
  const d1: number[] = [];
  const dAll: number[] = [];
  for (let i = 0; i < runs; i++) {
    d1.push((await timed(() => dec.decryptAggregate(sumResult.outputs.sx.blob)))[0]);
    dAll.push((await timed(() => decryptAggregates(sumResult.outputs, [keys])))[0]);
  }
  dec.dispose();
  report({ bench: BENCH, figure: 'decrypt.aggregate', value: median(d1) / 1000, unit: 's', n });
  report({ bench: BENCH, figure: 'decrypt.with-key-load', value: median(dAll) / 1000, unit: 's', n });
}
galois.delete();
session.dispose();
he.dispose();
