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
