import type { CiphertextBlob } from './ciphertext-blob.js';
import { ColumnEncryptor } from './column-encryptor.js';
import {
  bucketOf,
  cellParser,
  checkColumnSpec,
  defaultParamSet,
  fixedPointFactor,
  indicatorSpec,
  ValidationError,
  type ColumnSpec,
} from './column-spec.js';
import { CsvScanner, scanCsv } from './csv-reader.js';
import type { EncryptedColumn, EncryptedDataset } from './encrypted-dataset.js';
import type { SecretKeyMaterial } from './key-generation.js';
import type { ParamSetId } from './param-sets.js';

export interface EncodeOptions {
  /** Receives each ciphertext as soon as it is made; with `keepInMemory: false` the dataset holds no bytes. */
  onChunk?: (column: string, index: number, blob: CiphertextBlob) => void | Promise<void>;
  keepInMemory?: boolean;
}

/**
 * Accumulates one column's values into a slot-sized buffer and encrypts each full buffer at once
 * (one encode per ciphertext, no per-value allocation). Encryption is synchronous; delivering a
 * ciphertext to `onChunk` is queued and awaited by `drain`, so a caller may push a whole slice of
 * rows synchronously and then await.
 */
class ColumnSink {
  readonly chunks: CiphertextBlob[] = [];
  private readonly buffer: Float64Array;
  private filled = 0;
  private index = 0;
  private readonly queued: [number, CiphertextBlob][] = [];
  rows = 0;

  constructor(
    readonly spec: ColumnSpec,
    readonly paramSet: ParamSetId,
    private readonly encryptor: ColumnEncryptor,
    private readonly options: EncodeOptions,
  ) {
    this.buffer = new Float64Array(encryptor.slots);
  }

  /** Buffers one value, encrypting the buffer when it is full. */
  add(value: number): void {
    this.buffer[this.filled++] = value;
    this.rows++;
    if (this.filled === this.buffer.length) this.seal();
  }

  private seal(): void {
    if (this.filled === 0) return;
    if (this.filled < this.buffer.length) this.buffer.fill(0, this.filled);
    const blob = this.encryptor.encrypt(this.buffer);
    this.filled = 0;
    if (this.options.keepInMemory !== false) this.chunks.push(blob);
    if (this.options.onChunk) this.queued.push([this.index, blob]);
    this.index++;
  }

  /** Hands queued ciphertexts to `onChunk`, in order. */
  async drain(): Promise<void> {
    if (this.queued.length === 0) return;
    const items = this.queued.splice(0);
    for (const [i, blob] of items) await this.options.onChunk!(this.spec.name, i, blob);
  }

  async flush(): Promise<void> {
    this.seal();
    await this.drain();
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
    const parsers = specs.map(cellParser);
    const k = specs.length;
    // The current record's declared cells, as views into the scanned text.
    const srcs = new Array<string>(k).fill('');
    const starts = new Int32Array(k);
    const ends = new Int32Array(k);
    const values = new Float64Array(k);
    let header: string[] | undefined;
    let names: string[] = [];
    let planOf = new Int32Array(0); // CSV field index → spec index, or −1
    let row = 0;
    const scanner = new CsvScanner({
      field(index, src, start, end) {
        if (!header) {
          if (index === 0) names = [];
          names.push(src.slice(start, end));
          return;
        }
        const p = index < planOf.length ? planOf[index] : -1;
        if (p >= 0) {
          srcs[p] = src;
          starts[p] = start;
          ends[p] = end;
        }
      },
      record(fields) {
        if (!header) {
          const h = (header = names.map((name) => name.trim()));
          planOf = new Int32Array(h.length).fill(-1);
          specs.forEach((s, i) => {
            const at = h.indexOf(s.name);
            if (at < 0) throw new ValidationError(`column ${s.name} not in CSV header`);
            planOf[at] = i;
          });
          return;
        }
        row++;
        if (fields !== header.length)
          throw new ValidationError(`row ${row}: expected ${header.length} fields`);
        for (let i = 0; i < k; i++) values[i] = parsers[i](srcs[i], starts[i], ends[i], row);
        encoder.push(values);
      },
    });
    await scanCsv(source, scanner, () => encoder.drain());
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
    const cells = new Array<number>(specs.length); // raw values: checked before any coercion
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < specs.length; c++) cells[c] = values[c][r]!;
      encoder.pushNumbers(cells, r + 1);
      if ((r & 4095) === 4095) await encoder.drain();
    }
    return await encoder.finish();
  } finally {
    encoder.dispose();
  }
}

class DatasetEncoder {
  private rows = 0;
  private readonly row: Float64Array;
  private constructor(
    private readonly plans: Plan[],
    private readonly encryptors: ColumnEncryptor[],
  ) {
    this.row = new Float64Array(plans.length);
  }

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

  /** Validates one row of numbers (in spec order) against the declarations, then pushes it. */
  pushNumbers(values: readonly number[], row: number): void {
    const out = this.row;
    for (let i = 0; i < this.plans.length; i++) {
      const v = values[i];
      const s = this.plans[i].spec;
      const where = `row ${row}, column ${s.name}`;
      if (!Number.isFinite(v) || v < s.min || v > s.max)
        throw new ValidationError(`${where}: outside declared range`);
      if (s.kind === 'real') {
        out[i] = v;
        continue;
      }
      const f = fixedPointFactor(s);
      const scaled = Math.round(v * f);
      if (Math.abs(scaled - v * f) > 1e-6 * Math.max(1, Math.abs(v * f))) {
        throw new ValidationError(`${where}: more than ${s.decimals ?? 0} decimals`);
      }
      out[i] = scaled;
    }
    this.push(out);
  }

  /** Pushes one row of validated, encoded values (in spec order). */
  push(parsed: Float64Array): void {
    this.rows++;
    for (let i = 0; i < this.plans.length; i++) {
      const p = this.plans[i];
      const v = parsed[i];
      if (p.publicValues) {
        p.publicValues.push(v / fixedPointFactor(p.spec));
        continue;
      }
      p.sink!.add(v);
      if (p.indicators.length > 0) {
        const b = bucketOf(p.spec.buckets!, v / fixedPointFactor(p.spec));
        for (let k = 0; k < p.indicators.length; k++) p.indicators[k].add(k === b ? 1 : 0);
      }
    }
  }

  /** Delivers the ciphertexts made so far to `onChunk`. */
  async drain(): Promise<void> {
    for (const p of this.plans) {
      if (!p.sink) continue;
      await p.sink.drain();
      for (const s of p.indicators) await s.drain();
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
