import type { ParamSetId } from './param-sets.js';

/**
 * A column as the data holder declares it. `real` columns go to CKKS; `integer` and `decimal`
 * (fixed point, `decimals` digits, stored exactly as value·10^decimals) go to BFV.
 */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: 'real' | 'integer' | 'decimal';
  /** Inclusive declared range; every value is checked against it and recipes bound their results with it. */
  readonly min: number;
  readonly max: number;
  readonly decimals?: number;
  /**
   * Histogram bucket edges fixed at encryption time (ascending, first = min, last = max):
   * bucket i is [edges[i], edges[i+1]), the last one closed. The encoder adds one encrypted BFV
   * 0/1 indicator column per bucket, named `${name}#${i}`.
   */
  readonly buckets?: readonly number[];
  /** Declared public by the data holder: kept in plaintext, usable only as a filter. */
  readonly public?: boolean;
  /** Overrides the default parameter set for the kind (e.g. 'ckks-8192-d2' for filtered products). */
  readonly paramSet?: ParamSetId;
}

export function defaultParamSet(spec: ColumnSpec): ParamSetId {
  if (spec.paramSet) return spec.paramSet;
  return spec.kind === 'real' ? 'ckks-8192-d1' : 'bfv-8192-t50';
}

/** Fixed-point factor 10^decimals for decimal columns, 1 otherwise. */
export function fixedPointFactor(spec: ColumnSpec): number {
  return spec.kind === 'decimal' ? 10 ** (spec.decimals ?? 0) : 1;
}

export function indicatorName(column: string, bucket: number): string {
  return `${column}#${bucket}`;
}

/** Spec of the i-th bucket indicator column derived from a bucketed column. */
export function indicatorSpec(spec: ColumnSpec, bucket: number): ColumnSpec {
  return {
    name: indicatorName(spec.name, bucket),
    kind: 'integer',
    min: 0,
    max: 1,
    paramSet: 'bfv-8192-t50',
  };
}

export function bucketOf(edges: readonly number[], value: number): number {
  for (let i = 0; i < edges.length - 2; i++) if (value < edges[i + 1]) return i;
  return edges.length - 2;
}

/** Throws if the declaration itself is inconsistent. */
export function checkColumnSpec(spec: ColumnSpec): void {
  const where = `column ${spec.name}`;
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(spec.name)) throw new Error(`${where}: invalid name`);
  if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max) || spec.min > spec.max) {
    throw new Error(`${where}: invalid range`);
  }
  if (spec.kind === 'decimal') {
    const d = spec.decimals;
    if (d === undefined || !Number.isInteger(d) || d < 0 || d > 9)
      throw new Error(`${where}: decimals must be 0..9`);
  }
  const factor = fixedPointFactor(spec);
  if (spec.kind !== 'real' && Math.max(Math.abs(spec.min), Math.abs(spec.max)) * factor > 2 ** 49) {
    throw new Error(`${where}: range exceeds the BFV plaintext modulus`);
  }
  if (spec.buckets) {
    const e = spec.buckets;
    if (e.length < 2 || e.some((v, i) => i > 0 && v <= e[i - 1]))
      throw new Error(`${where}: bucket edges must ascend`);
    if (e[0] !== spec.min || e[e.length - 1] !== spec.max)
      throw new Error(`${where}: bucket edges must span [min, max]`);
  }
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

/**
 * Parses one CSV cell against its declaration. Returns the number to encode: the real value for
 * `real`, the exact integer (value·10^decimals) for `integer`/`decimal`. Error messages name the row
 * and column but never echo the value.
 */
export function parseCell(spec: ColumnSpec, cell: string, row: number): number {
  const where = `row ${row}, column ${spec.name}`;
  const text = cell.trim();
  if (text === '') throw new ValidationError(`${where}: missing value`);
  if (spec.kind === 'real') {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
      throw new ValidationError(`${where}: not a real number`);
    const v = Number(text);
    if (!Number.isFinite(v) || v < spec.min || v > spec.max)
      throw new ValidationError(`${where}: outside declared range`);
    return v;
  }
  const decimals = spec.kind === 'decimal' ? (spec.decimals ?? 0) : 0;
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new ValidationError(`${where}: not ${spec.kind === 'integer' ? 'an integer' : 'a decimal'}`);
  if (spec.kind === 'integer' && m[3] !== undefined) throw new ValidationError(`${where}: not an integer`);
  const frac = m[3] ?? '';
  if (frac.replace(/0+$/, '').length > decimals)
    throw new ValidationError(`${where}: more than ${decimals} decimals`);
  const digits = `${m[2]}${frac.padEnd(decimals, '0').slice(0, decimals)}`;
  const scaled = Number(`${m[1]}${digits}`);
  const factor = 10 ** decimals;
  if (
    !Number.isSafeInteger(scaled) ||
    scaled < Math.round(spec.min * factor) ||
    scaled > Math.round(spec.max * factor)
  ) {
    throw new ValidationError(`${where}: outside declared range`);
  }
  return scaled;
}

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** A cell parser for one column: `parseCell` over `src.slice(start, end)`, without making the substring. */
export type CellParser = (src: string, start: number, end: number, row: number) => number;

/**
 * Compiles `parseCell` for one spec into a hand-written scanner over character codes. Plain ASCII
 * numbers of at most 15 digits are parsed here exactly (an exact integer and one correctly rounded
 * multiplication or division by an exact power of ten, as in Clinger's fast path); anything else —
 * unusual whitespace, long mantissas, malformed text — goes to `parseCell`, which returns the same
 * value or throws the same error (naming the row and column, never the value).
 */
export function cellParser(spec: ColumnSpec): CellParser {
  const slow: CellParser = (src, start, end, row) => parseCell(spec, src.slice(start, end), row);
  if (spec.kind === 'real') {
    const { min, max } = spec;
    return (src, start, end, row) => {
      let i = start;
      let e = end;
      while (i < e && isAsciiSpace(src.charCodeAt(i))) i++;
      while (e > i && isAsciiSpace(src.charCodeAt(e - 1))) e--;
      if (i === e) return slow(src, start, end, row);
      let c = src.charCodeAt(i);
      const neg = c === 45;
      if (neg || c === 43) i++;
      let m = 0;
      let digits = 0;
      let frac = 0;
      while (i < e && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
        m = m * 10 + c;
        digits++;
        i++;
      }
      if (i < e && src.charCodeAt(i) === 46) {
        i++;
        while (i < e && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
          m = m * 10 + c;
          digits++;
          frac++;
          i++;
        }
      }
      // Exponents, long mantissas and anything malformed take the general path.
      if (i !== e || digits === 0 || digits > 15) return slow(src, start, end, row);
      let v = frac === 0 ? m : m / POW10[frac];
      if (neg) v = -v;
      if (v < min || v > max)
        throw new ValidationError(`row ${row}, column ${spec.name}: outside declared range`);
      return v;
    };
  }
  const decimals = spec.kind === 'decimal' ? (spec.decimals ?? 0) : 0;
  const factor = POW10[decimals];
  const lo = Math.round(spec.min * factor);
  const hi = Math.round(spec.max * factor);
  const integer = spec.kind === 'integer';
  return (src, start, end, row) => {
    let i = start;
    let e = end;
    while (i < e && isAsciiSpace(src.charCodeAt(i))) i++;
    while (e > i && isAsciiSpace(src.charCodeAt(e - 1))) e--;
    if (i === e) return slow(src, start, end, row);
    let c = src.charCodeAt(i);
    const neg = c === 45;
    if (neg || c === 43) i++;
    let m = 0;
    let digits = 0;
    while (i < e && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
      m = m * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0) return slow(src, start, end, row);
    let used = 0; // fraction digits taken into m
    if (i < e && src.charCodeAt(i) === 46) {
      if (integer) return slow(src, start, end, row);
      i++;
      while (i < e && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
        if (used < decimals) {
          m = m * 10 + c;
          used++;
        } else if (c !== 0) return slow(src, start, end, row); // more decimals than declared
        i++;
      }
    }
    if (i !== e || digits + decimals > 15) return slow(src, start, end, row);
    let v = m * POW10[decimals - used];
    if (neg) v = -v;
    if (v < lo || v > hi)
      throw new ValidationError(`row ${row}, column ${spec.name}: outside declared range`);
    return v;
  };
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
