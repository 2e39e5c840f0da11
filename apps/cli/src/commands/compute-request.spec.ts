import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPUTATION_CODES } from '@app/compute/core';
import {
  CODE_WORDS,
  computationRequest,
  envelopeSha256,
  explain,
  parseBindings,
  parseFilter,
  readWeights,
} from './compute-request.js';

describe('exchange compute run: what the user typed, as the request body', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compute-request-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('binds roles to one column or several', () => {
    expect(parseBindings(['x=vehicle_count'])).toEqual({ x: 'vehicle_count' });
    expect(parseBindings(['features=a, b', 'y=c'])).toEqual({ features: ['a', 'b'], y: 'c' });
    expect(() => parseBindings(['x'])).toThrow(/role=column/);
    expect(() => parseBindings(['x=a,'])).toThrow(/role=column/);
    expect(() => parseBindings(['=a'])).toThrow(/role=column/);
    expect(() => parseBindings(['x=a', 'x=b'])).toThrow(/bound twice/);
    expect(() => parseBindings([])).toThrow(/at least one/);
  });

  it('reads filters in symbols or words, `in` with a list', () => {
    expect(parseFilter('hour lt 12')).toEqual({ column: 'hour', op: 'lt', value: 12 });
    expect(parseFilter('hour>=7')).toEqual({ column: 'hour', op: 'ge', value: 7 });
    expect(parseFilter(' region = 3 ')).toEqual({ column: 'region', op: 'eq', value: 3 });
    expect(parseFilter('x != -1.5')).toEqual({ column: 'x', op: 'ne', value: -1.5 });
    expect(parseFilter('region in 1,2, 3')).toEqual({ column: 'region', op: 'in', value: [1, 2, 3] });
    expect(() => parseFilter('hour lt noon')).toThrow(/not a number/);
    expect(() => parseFilter('hour ~ 3')).toThrow(/column op value/);
    expect(() => parseFilter('region in 1,,2')).toThrow(/not a number/);
  });

  it('reads weights as a JSON array or one number per line', async () => {
    await writeFile(join(dir, 'w.json'), '[1, -2.5, 3]');
    await writeFile(join(dir, 'w.txt'), '# weights\n1\n\n-2.5  # second\n3\n');
    await writeFile(join(dir, 'bad.json'), '[1, "2"]');
    await writeFile(join(dir, 'bad.txt'), '1\ntwo\n');
    expect(await readWeights(join(dir, 'w.json'))).toEqual([1, -2.5, 3]);
    expect(await readWeights(join(dir, 'w.txt'))).toEqual([1, -2.5, 3]);
    await expect(readWeights(join(dir, 'bad.json'))).rejects.toThrow(/array of numbers/);
    await expect(readWeights(join(dir, 'bad.txt'))).rejects.toThrow(/line 2/);
    await expect(readWeights(join(dir, 'missing.txt'))).rejects.toThrow(/cannot read --weights/);
  });

  it('builds the body of POST /v1/computations, --weights as params.weights', async () => {
    await writeFile(join(dir, 'w2.txt'), '4\n5\n');
    expect(
      await computationRequest({
        contract: 'c',
        recipe: 'dot-product',
        column: ['x=a'],
        weights: join(dir, 'w2.txt'),
        params: '{"sample": true}',
        filter: ['hour lt 12'],
        dataset: 'd',
      }),
    ).toEqual({
      contractId: 'c',
      recipe: 'dot-product',
      bindings: { x: 'a' },
      params: { sample: true, weights: [4, 5] },
      filters: [{ column: 'hour', op: 'lt', value: 12 }],
      datasetId: 'd',
    });
    expect(await computationRequest({ contract: 'c', recipe: 'sum', column: ['x=a'] })).toEqual({
      contractId: 'c',
      recipe: 'sum',
      bindings: { x: 'a' },
    });
    await expect(
      computationRequest({ contract: 'c', recipe: 'sum', column: ['x=a'], params: '[1]' }),
    ).rejects.toThrow(/JSON object/);
    await expect(
      computationRequest({ contract: 'c', recipe: 'sum', column: ['x=a'], params: '{' }),
    ).rejects.toThrow(/not valid JSON/);
  });

  it('has words for every stable code, and keeps the exchange message beside them', () => {
    for (const code of COMPUTATION_CODES) expect([code, typeof CODE_WORDS[code]]).toEqual([code, 'string']);
    expect(explain('below_min_rows', 'selected 4 rows, k is 10')).toBe(
      `below_min_rows: ${CODE_WORDS.below_min_rows} (selected 4 rows, k is 10)`,
    );
    expect(explain('something_new', 'as the exchange says')).toBe('something_new: as the exchange says');
  });

  it("hashes an envelope as the release stores it: RFC 8785 canonical JSON, whatever the keys' order", () => {
    const a = envelopeSha256({ b: 1, a: 'x' });
    expect(a).toBe(envelopeSha256({ a: 'x', b: 1 }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(envelopeSha256({ a: 'y', b: 1 }));
  });
});
