import { cellParser, parseCell, type ColumnSpec } from './column-spec.js';
import { readCsvRecords } from './csv-reader.js';

async function* pieces<T extends string | Uint8Array>(whole: T, size: number): AsyncGenerator<T> {
  for (let i = 0; i < whole.length; i += size) yield whole.slice(i, i + size) as T;
}

async function records(source: AsyncIterable<string | Uint8Array>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readCsvRecords(source)) out.push(r);
  return out;
}

describe('CSV scanning', () => {
  const cases: [string, string[][]][] = [
    [
      'a,b\r\nc,d\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['"x,""y""",z\n', [['x,"y"', 'z']]],
    ['a\n\n\r\n\nb', [['a'], ['b']]],
    ['"multi\nline",2\r\n', [['multi\nline', '2']]],
    ['a"b,"c"d,""\n', [['a"b', 'cd', '']]],
    [',\n', [['', '']]],
    ['1\r2\r', [['1'], ['2']]],
  ];
  it.each(cases)('%j under every chunking', async (text, want) => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(await records(pieces(text, size))).toEqual(want);
      expect(await records(pieces(new TextEncoder().encode(text), size))).toEqual(want);
    }
  });

  it('decodes UTF-8 split across chunks and refuses malformed or truncated bytes', async () => {
    const bytes = new TextEncoder().encode('é,ü\n');
    expect(await records(pieces(bytes, 1))).toEqual([['é', 'ü']]);
    await expect(records(pieces(bytes.subarray(0, 1), 1))).rejects.toThrow();
    await expect(records(pieces(Uint8Array.from([0x61, 0xff, 0x0a]), 1))).rejects.toThrow();
  });

  it('refuses input ending inside a quoted field', async () => {
    await expect(records(pieces('a,"b\nc', 2))).rejects.toThrow(/inside a quoted field/);
  });
});

describe('cellParser', () => {
  const specs: ColumnSpec[] = [
    { name: 'r', kind: 'real', min: -100, max: 100 },
    { name: 'i', kind: 'integer', min: -1000, max: 1000 },
    { name: 'd', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
    { name: 'big', kind: 'decimal', decimals: 3, min: -1e11, max: 1e11 },
  ];
  const cells = [
    '0',
    '-0',
    '+5',
    '5.',
    '.5',
    '-.5',
    '.',
    '-',
    '',
    '  ',
    ' 12.5\t',
    '\u00a012',
    '1e1',
    '1E-2',
    '12.345678',
    '99.999999999999999',
    '0.1',
    '0.30000000000000004',
    '100',
    '100.0000001',
    '-100',
    '101',
    '1,5',
    '0x10',
    '007',
    '12.50',
    '12.5000',
    '12.501',
    '3.',
    '1000',
    '1000.001',
    '99999999999.999',
    '12345678901234.5',
    'NaN',
    'Infinity',
    '١٢',
  ];
  it('returns what parseCell returns, or throws what it throws', () => {
    const outcome = (f: () => number) => {
      try {
        const v = f();
        return Object.is(v, -0) ? '-0' : String(v);
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    for (const spec of specs) {
      const parse = cellParser(spec);
      for (const cell of cells) {
        const src = `<<${cell}>>`;
        expect([spec.name, cell, outcome(() => parse(src, 2, 2 + cell.length, 7))]).toEqual([
          spec.name,
          cell,
          outcome(() => parseCell(spec, cell, 7)),
        ]);
      }
    }
  });
});
