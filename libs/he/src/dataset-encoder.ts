import type { CiphertextBlob } from './ciphertext-blob.js';
import { ColumnEncryptor } from './column-encryptor.js';
import {
  bucketOf,
  checkColumnSpec,
  defaultParamSet,
  fixedPointFactor,
  indicatorSpec,
  parseCell,
  ValidationError,
  type ColumnSpec,
} from './column-spec.js';
import { readCsvRecords } from './csv-reader.js';
import type { EncryptedColumn, EncryptedDataset } from './encrypted-dataset.js';
import type { SecretKeyMaterial } from './key-generation.js';
import type { ParamSetId } from './param-sets.js';

export interface EncodeOptions {
  /** Receives each ciphertext as soon as it is made; with `keepInMemory: false` the dataset holds no bytes. */
  onChunk?: (column: string, index: number, blob: CiphertextBlob) => void | Promise<void>;
  keepInMemory?: boolean;
}

/** Accumulates one column's values into slot-sized buffers and encrypts each full buffer. */
class ColumnSink {
  readonly chunks: CiphertextBlob[] = [];
  private buffer: Float64Array;
  private filled = 0;
  private index = 0;
  rows = 0;

  constructor(
    readonly spec: ColumnSpec,
    readonly paramSet: ParamSetId,
    private readonly encryptor: ColumnEncryptor,
    private readonly options: EncodeOptions,
  ) {
    this.buffer = new Float64Array(encryptor.slots);
  }

  /** Buffers one value; true when the buffer is full and `flush` must be awaited. */
  add(value: number): boolean {
    this.buffer[this.filled++] = value;
    this.rows++;
    return this.filled === this.buffer.length;
  }

  async flush(): Promise<void> {
    if (this.filled === 0) return;
    const blob = this.encryptor.encrypt(this.buffer.subarray(0, this.filled));
    this.buffer.fill(0);
    this.filled = 0;
    if (this.options.keepInMemory !== false) this.chunks.push(blob);
    await this.options.onChunk?.(this.spec.name, this.index++, blob);
  }

  column(): EncryptedColumn {
    return {
      spec: this.spec,
      paramSet: this.paramSet,
      rows: this.rows,
      slots: this.encryptor.slots,
      chunks: this.chunks,
    };
  }
}

interface Plan {
  spec: ColumnSpec;
  sink?: ColumnSink;
  indicators: ColumnSink[];
  publicValues?: number[];
}

/**
 * SECRET. Data-holder side: reads a CSV (header row first, streamed, any size), validates each
 * declared column against its kind and range, packs values into slots and encrypts them with seeded
 * symmetric encryption under the key set of the column's parameter set. Public columns stay plaintext;
 * bucketed columns also get encrypted 0/1 indicator columns. Undeclared CSV columns are ignored.
 * Preconditions: `keys` holds a key set for every parameter set the specs resolve to.
 */
export async function encryptCsv(
  source: AsyncIterable<string | Uint8Array>,
  specs: readonly ColumnSpec[],
  keys: readonly SecretKeyMaterial[],
  options: EncodeOptions = {},
): Promise<EncryptedDataset> {
  const encoder = await DatasetEncoder.open(specs, keys, options);
  try {
    let header: string[] | undefined;
    let positions: number[] = [];
    let row = 0;
    for await (const record of readCsvRecords(source)) {
      if (!header) {
        header = record.map((h) => h.trim());
        positions = specs.map((s) => {
          const at = header!.indexOf(s.name);
          if (at < 0) throw new ValidationError(`column ${s.name} not in CSV header`);
          return at;
        });
        continue;
      }
      row++;
      if (record.length !== header.length)
        throw new ValidationError(`row ${row}: expected ${header.length} fields`);
      await encoder.pushRow(
        positions.map((p) => record[p]),
        row,
      );
    }
    return await encoder.finish();
  } finally {
    encoder.dispose();
  }
}

/**
 * SECRET. Same as `encryptCsv` for values already in memory (one array per spec, same length);
 * values are validated against the declared range and decimals.
 */
export async function encryptColumns(
  specs: readonly ColumnSpec[],
  values: readonly ArrayLike<number>[],
  keys: readonly SecretKeyMaterial[],
  options: EncodeOptions = {},
): Promise<EncryptedDataset> {
  const rows = values[0]?.length ?? 0;
  if (values.length !== specs.length || values.some((v) => v.length !== rows))
    throw new Error('one equal-length array per spec');
  const encoder = await DatasetEncoder.open(specs, keys, options);
  try {
    const cells = new Array<number>(specs.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < specs.length; c++) cells[c] = values[c][r]!;
      await encoder.pushNumbers(cells, r + 1);
    }
    return await encoder.finish();
  } finally {
    encoder.dispose();
  }
}

class DatasetEncoder {
  private rows = 0;
  private constructor(
    private readonly plans: Plan[],
    private readonly encryptors: ColumnEncryptor[],
  ) {}

  static async open(
    specs: readonly ColumnSpec[],
    keys: readonly SecretKeyMaterial[],
    options: EncodeOptions,
  ) {
    const names = new Set<string>();
    for (const s of specs) {
      checkColumnSpec(s);
      if (names.has(s.name)) throw new Error(`duplicate column ${s.name}`);
      names.add(s.name);
    }
    const encryptors = new Map<ParamSetId, ColumnEncryptor>();
    const plans: Plan[] = [];
    try {
      const encryptorFor = async (id: ParamSetId) => {
        let e = encryptors.get(id);
        if (!e) {
          const k = keys.find((x) => x.paramSet === id);
          if (!k) throw new Error(`no key set for parameter set ${id}`);
          e = await ColumnEncryptor.open(k);
          encryptors.set(id, e);
        }
        return e;
      };
      for (const spec of specs) {
        if (spec.public) {
          plans.push({ spec, indicators: [], publicValues: [] });
          continue;
        }
        const ps = defaultParamSet(spec);
        const sink = new ColumnSink(spec, ps, await encryptorFor(ps), options);
        const indicators: ColumnSink[] = [];
        for (let b = 0; b + 1 < (spec.buckets?.length ?? 0); b++) {
          const is = indicatorSpec(spec, b);
          indicators.push(
            new ColumnSink(is, defaultParamSet(is), await encryptorFor(defaultParamSet(is)), options),
          );
        }
        plans.push({ spec, sink, indicators });
      }
    } catch (err) {
      for (const e of encryptors.values()) e.dispose();
      throw err;
    }
    return new DatasetEncoder(plans, [...encryptors.values()]);
  }

  async pushRow(cells: string[], row: number): Promise<void> {
    const parsed = this.plans.map((p, i) => parseCell(p.spec, cells[i], row));
    await this.push(parsed);
  }

  async pushNumbers(values: number[], row: number): Promise<void> {
    const parsed = this.plans.map((p, i) => {
      const v = values[i];
      const s = p.spec;
      const where = `row ${row}, column ${s.name}`;
      if (!Number.isFinite(v) || v < s.min || v > s.max)
        throw new ValidationError(`${where}: outside declared range`);
      if (s.kind === 'real') return v;
      const f = fixedPointFactor(s);
      const scaled = Math.round(v * f);
      if (Math.abs(scaled - v * f) > 1e-6 * Math.max(1, Math.abs(v * f))) {
        throw new ValidationError(`${where}: more than ${s.decimals ?? 0} decimals`);
      }
      return scaled;
    });
    await this.push(parsed);
  }

  private async push(parsed: number[]): Promise<void> {
    this.rows++;
    for (let i = 0; i < this.plans.length; i++) {
      const p = this.plans[i];
      const v = parsed[i];
      if (p.publicValues) {
        p.publicValues.push(v / fixedPointFactor(p.spec));
        continue;
      }
      if (p.sink!.add(v)) await p.sink!.flush();
      if (p.indicators.length > 0) {
        const b = bucketOf(p.spec.buckets!, v / fixedPointFactor(p.spec));
        for (let k = 0; k < p.indicators.length; k++) {
          const sink = p.indicators[k];
          if (sink.add(k === b ? 1 : 0)) await sink.flush();
        }
      }
    }
  }

  async finish(): Promise<EncryptedDataset> {
    const columns: Record<string, EncryptedColumn> = {};
    const publicColumns: Record<string, Float64Array> = {};
    for (const p of this.plans) {
      if (p.publicValues) {
        publicColumns[p.spec.name] = Float64Array.from(p.publicValues);
        continue;
      }
      for (const sink of [p.sink!, ...p.indicators]) {
        await sink.flush();
        columns[sink.spec.name] = sink.column();
      }
    }
    return { rows: this.rows, columns, publicColumns };
  }

  dispose(): void {
    for (const e of this.encryptors) e.dispose();
  }
}
