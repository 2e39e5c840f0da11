import {
  decryptAggregates,
  encryptColumns,
  encryptCsv,
  evaluateTerms,
  EvaluationSession,
  generateKeys,
  publicPart,
  checkTerms,
  CapacityError,
  type AggregateTerm,
  type ColumnSpec,
  type SecretKeyMaterial,
} from './index.js';
import { seededRandom as rng } from '../../../test/support/seeded-random.js';

async function* lines(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('@app/he end to end', () => {
  let ckks: SecretKeyMaterial;
  let bfv: SecretKeyMaterial;
  beforeAll(async () => {
    ckks = await generateKeys('ckks-8192-d1');
    bfv = await generateKeys('bfv-8192-t50');
  });

  async function evaluate(
    ds: Awaited<ReturnType<typeof encryptColumns>>,
    keys: SecretKeyMaterial,
    terms: Record<string, AggregateTerm>,
    mask?: number[],
  ) {
    const session = await EvaluationSession.open(publicPart(keys));
    try {
      checkTerms(session, terms, ds.columns, mask !== undefined);
      const blobs = evaluateTerms(session, ds.columns, terms, mask);
      const outputs = Object.fromEntries(
        Object.entries(blobs).map(([k, blob]) => [k, { paramSet: keys.paramSet, blob }]),
      );
      return await decryptAggregates(outputs, [keys]);
    } finally {
      session.dispose();
    }
  }

  it.each([1, 4097, 9000])('CKKS sum, sum of squares and masked sum match plaintext (%i rows)', async (n) => {
    const r = rng(n);
    const xs = Array.from({ length: n }, () => r() * 200 - 50);
    const mask = xs.map(() => (r() < 0.5 ? 1 : 0));
    const spec: ColumnSpec = { name: 'x', kind: 'real', min: -50, max: 150 };
    const ds = await encryptColumns([spec], [xs], [ckks]);
    expect(ds.columns.x.chunks.length).toBe(Math.ceil(n / 4096));
    const got = await evaluate(ds, ckks, {
      s: { op: 'sum', column: 'x' },
      q: { op: 'product', left: 'x', right: 'x' },
    });
    const sum = xs.reduce((a, b) => a + b, 0);
    const sq = xs.reduce((a, b) => a + b * b, 0);
    expect(Math.abs(got.s - sum)).toBeLessThanOrEqual(
      1e-6 * Math.max(1, Math.abs(xs.reduce((a, b) => a + Math.abs(b), 0))),
    );
    expect(Math.abs(got.q - sq) / sq).toBeLessThan(1e-6);
    const masked = await evaluate(ds, ckks, { m: { op: 'sum', column: 'x' } }, mask);
    const msum = xs.reduce((a, b, i) => a + b * mask[i], 0);
    expect(Math.abs(masked.m - msum)).toBeLessThanOrEqual(
      1e-6 *
        Math.max(
          1,
          xs.reduce((a, b) => a + Math.abs(b), 0),
        ),
    );
  });

  it('BFV decimals from a streamed CSV: exact sums, products and weighted sums', async () => {
    const r = rng(7);
    const n = 8200;
    const a = Array.from({ length: n }, () => Math.round((r() * 2000 - 1000) * 100) / 100);
    const b = Array.from({ length: n }, () => Math.floor(r() * 100));
    const csv = `a,"b",ignored\n${a.map((v, i) => `${v.toFixed(2)},${b[i]},"x,""y"""`).join('\r\n')}\n`;
    const specs: ColumnSpec[] = [
      { name: 'a', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
      { name: 'b', kind: 'integer', min: 0, max: 99 },
    ];
    const ds = await encryptCsv(lines(csv, 977), specs, [bfv]);
    expect(ds.rows).toBe(n);
    const weights = a.map(() => Math.floor(r() * 21) - 10);
    const got = await evaluate(ds, bfv, {
      sa: { op: 'sum', column: 'a' },
      ab: { op: 'product', left: 'a', right: 'b' },
      wb: { op: 'weighted', column: 'b', weights },
    });
    const ai = a.map((v) => BigInt(Math.round(v * 100)));
    expect(BigInt(got.sa)).toBe(ai.reduce((x, y) => x + y, 0n));
    expect(BigInt(got.ab)).toBe(ai.reduce((x, y, i) => x + y * BigInt(b[i]), 0n));
    expect(BigInt(got.wb)).toBe(b.reduce((x, y, i) => x + BigInt(y * weights[i]), 0n));
  });

  it('refuses terms beyond the parameter set', async () => {
    const ds = await encryptColumns([{ name: 'b', kind: 'integer', min: 0, max: 5 }], [[1, 2, 3]], [bfv]);
    const session = await EvaluationSession.open(publicPart(bfv));
    try {
      expect(() =>
        checkTerms(session, { p: { op: 'product', left: 'b', right: 'b' } }, ds.columns, true),
      ).toThrow(CapacityError);
      expect(() =>
        checkTerms(session, { p: { op: 'product', left: 'b', right: 'b' } }, ds.columns, false),
      ).not.toThrow();
    } finally {
      session.dispose();
    }
  });

  it('rejects values outside the declared type or range without echoing them', async () => {
    const spec: ColumnSpec = { name: 'v', kind: 'integer', min: 0, max: 10 };
    await expect(encryptCsv(lines('v\n3\n12345\n', 100), [spec], [bfv])).rejects.toThrow(
      /row 2, column v: outside declared range/,
    );
    await expect(encryptCsv(lines('v\n3.5\n', 100), [spec], [bfv])).rejects.toThrow(/not an integer/);
    await expect(encryptCsv(lines('v,w\n3,1\n,2\n', 100), [spec], [bfv])).rejects.toThrow(
      /row 2, column v: missing value/,
    );
    await expect(encryptCsv(lines('w\n3\n', 100), [spec], [bfv])).rejects.toThrow(/not in CSV header/);
    const err = await encryptCsv(lines('v\n12345\n', 100), [spec], [bfv]).catch((e: Error) => e.message);
    expect(err).not.toContain('12345');
    // Row numbers stay right past chunk, slice (64 Ki characters) and ciphertext boundaries.
    const late = `v\n${'1\n'.repeat(69_999)}11\n`;
    await expect(encryptCsv(lines(late, 977), [spec], [bfv])).rejects.toThrow(
      /^row 70000, column v: outside declared range$/,
    );
  });
});
