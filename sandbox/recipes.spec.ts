import {
  CapacityError,
  decryptAggregates,
  encryptColumns,
  generateKeys,
  publicPart,
  type ColumnSpec,
  type EncryptedDataset,
  type SecretKeyMaterial,
} from '@app/he';
import { buildJob, evaluateJob, finishJob, solveLinear, type JobFilter } from './index.js';
import { seededRandom as rng } from '../test/support/seeded-random.js';

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;
const cov = (x: number[], y: number[]) => {
  const mx = mean(x);
  const my = mean(y);
  return sum(x.map((v, i) => (v - mx) * (y[i] - my))) / x.length;
};

const EDGES = [0, 10, 25, 50, 100];
const SPECS: ColumnSpec[] = [
  { name: 'x', kind: 'real', min: -50, max: 150 },
  { name: 'y', kind: 'real', min: -150, max: 400 },
  { name: 'z', kind: 'real', min: 0, max: 100, paramSet: 'ckks-8192-d2' },
  { name: 'a', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
  { name: 'b', kind: 'integer', min: 0, max: 100, buckets: EDGES },
  { name: 'g', kind: 'integer', min: 0, max: 9, public: true },
];

interface Data {
  n: number;
  cols: Record<string, number[]>;
  ds: EncryptedDataset;
}

describe('recipe catalogue: decrypt(evaluate(encrypt(x))) equals the plaintext function', () => {
  let keys: SecretKeyMaterial[];
  const data: Data[] = [];

  beforeAll(async () => {
    keys = await Promise.all([
      generateKeys('ckks-8192-d1'),
      generateKeys('ckks-8192-d2'),
      generateKeys('bfv-8192-t50'),
    ]);
    for (const n of [40, 9000]) {
      const r = rng(n);
      const x = Array.from({ length: n }, () => r() * 200 - 50);
      const y = x.map((v) => 3 + 2 * v + (r() - 0.5) * 40);
      const z = Array.from({ length: n }, () => r() * 100);
      const a = Array.from({ length: n }, () => Math.round((r() * 2000 - 1000) * 100) / 100);
      const b = Array.from({ length: n }, () => Math.floor(r() * 101));
      const g = Array.from({ length: n }, () => Math.floor(r() * 10));
      const cols = { x, y, z, a, b, g };
      data.push({ n, cols, ds: await encryptColumns(SPECS, [x, y, z, a, b, g], keys) });
    }
  });

  async function run(
    d: Data,
    recipe: string,
    bindings: Record<string, string | string[]>,
    params?: unknown,
    filter?: JobFilter,
  ) {
    const job = buildJob({ dataset: d.ds, keys: keys.map(publicPart), recipe, bindings, params, filter });
    const result = await evaluateJob(job);
    const values = await decryptAggregates(result.outputs, keys);
    return { result, values, answer: finishJob(result, values) };
  }

  const close = (got: number, want: number, tol: number) =>
    expect(Math.abs(got - want)).toBeLessThanOrEqual(tol);

  it.each([0, 1])('count, sum, mean (dataset %i)', async (i) => {
    const d = data[i];
    const { x, a } = d.cols as { x: number[]; a: number[] };
    expect((await run(d, 'count', { x: 'x' })).answer).toBe(d.n);
    const absx = sum(x.map(Math.abs));
    close((await run(d, 'sum', { x: 'x' })).answer as number, sum(x), 1e-6 * absx);
    close((await run(d, 'mean', { x: 'x' })).answer as number, mean(x), (1e-6 * absx) / d.n);
    const bfvSum = await run(d, 'sum', { x: 'a' });
    expect(BigInt(bfvSum.values.sx)).toBe(a.reduce((s, v) => s + BigInt(Math.round(v * 100)), 0n));
    close((await run(d, 'mean', { x: 'a' })).answer as number, mean(a), 1e-9);
  });

  it.each([0, 1])('variance, stddev, covariance, correlation (dataset %i)', async (i) => {
    const d = data[i];
    const { x, y, a, b } = d.cols;
    const ex2 = mean(x.map((v) => v * v));
    close((await run(d, 'variance', { x: 'x' })).answer as number, cov(x, x), 1e-6 * ex2);
    const n = d.n;
    close(
      (await run(d, 'variance', { x: 'x' }, { sample: true })).answer as number,
      (cov(x, x) * n) / (n - 1),
      1e-6 * ex2,
    );
    close(
      (await run(d, 'stddev', { x: 'a' })).answer as number,
      Math.sqrt(cov(a, a)),
      1e-9 * Math.sqrt(cov(a, a)),
    );
    close(
      (await run(d, 'covariance', { x: 'x', y: 'y' })).answer as number,
      cov(x, y),
      1e-6 * mean(x.map((v, k) => Math.abs(v * y[k]))),
    );
    close(
      (await run(d, 'covariance', { x: 'a', y: 'b' })).answer as number,
      cov(a, b),
      1e-9 * Math.abs(cov(a, b)) + 1e-9,
    );
    const corr = cov(x, y) / Math.sqrt(cov(x, x) * cov(y, y));
    close((await run(d, 'correlation', { x: 'x', y: 'y' })).answer as number, corr, 1e-5);
  });

  it.each([0, 1])('dot product, histogram, linear regression (dataset %i)', async (i) => {
    const d = data[i];
    const { x, y, b } = d.cols;
    const r = rng(99 + i);
    const w = x.map(() => r() * 2 - 1);
    close(
      (await run(d, 'dot-product', { x: 'x' }, { weights: w })).answer as number,
      sum(x.map((v, k) => v * w[k])),
      1e-6 * sum(x.map((v, k) => Math.abs(v * w[k]))),
    );
    const wi = b.map(() => Math.floor(r() * 7) - 3);
    expect((await run(d, 'dot-product', { x: 'b' }, { weights: wi })).answer).toBe(
      sum(b.map((v, k) => v * wi[k])),
    );
    const hist = (await run(d, 'histogram', { x: 'b' })).answer as { counts: number[] };
    const want = EDGES.slice(1).map(
      (_, k) =>
        b.filter((v) => v >= EDGES[k] && (v < EDGES[k + 1] || (k === EDGES.length - 2 && v === 100))).length,
    );
    expect(hist.counts).toEqual(want);
    const reg = (await run(d, 'linear-regression', { features: ['x'], y: 'y' })).answer as {
      intercept: number;
      coefficients: number[];
    };
    const slope = cov(x, y) / cov(x, x);
    const intercept = mean(y) - slope * mean(x);
    close(reg.coefficients[0], slope, 1e-4 * Math.abs(slope));
    close(reg.intercept, intercept, 1e-3 * Math.max(1, Math.abs(intercept)));
  });

  it('filters on a public column (mask multiplied in), refusing what the parameters cannot hold', async () => {
    const d = data[1];
    const { x, z, a, g } = d.cols;
    const filter: JobFilter = { column: 'g', op: 'lt', value: 4 };
    const keep = (v: number[]) => v.filter((_, k) => g[k] < 4);
    expect((await run(d, 'count', { x: 'x' }, undefined, filter)).answer).toBe(keep(x).length);
    close(
      (await run(d, 'sum', { x: 'x' }, undefined, filter)).answer as number,
      sum(keep(x)),
      1e-6 * sum(x.map(Math.abs)),
    );
    close((await run(d, 'mean', { x: 'a' }, undefined, filter)).answer as number, mean(keep(a)), 1e-9);
    close(
      (await run(d, 'variance', { x: 'z' }, undefined, filter)).answer as number,
      cov(keep(z), keep(z)),
      1e-6 * mean(keep(z).map((v) => v * v)),
    );
    await expect(run(d, 'variance', { x: 'x' }, undefined, filter)).rejects.toThrow(CapacityError);
    await expect(run(d, 'variance', { x: 'a' }, undefined, filter)).rejects.toThrow(CapacityError);
    await expect(run(d, 'sum', { x: 'x' }, undefined, { column: 'g', op: 'eq', value: 77 })).rejects.toThrow(
      /at least 10 rows/,
    );
  });

  it('solveLinear solves a known system', () => {
    const sol = solveLinear(
      [
        [2, 1, -1],
        [-3, -1, 2],
        [-2, 1, 2],
      ],
      [8, -11, -3],
    );
    [2, 3, -1].forEach((v, k) => close(sol[k], v, 1e-12));
  });
});
