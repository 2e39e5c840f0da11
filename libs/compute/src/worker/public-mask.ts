import type { ComputationFilter } from '../core/computation-job.js';

/** A filter that cannot be applied (its public column is absent or of the wrong length): the job fails, not retried. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

/**
 * A public column as the merchant's CLI uploads it (`docs/datasets.md`, `exchange dataset upload`): `rows`
 * little-endian float64 values, the bytes of a `Float64Array`.
 */
export function publicColumnValues(bytes: Uint8Array, rows: number, column: string): Float64Array {
  if (bytes.byteLength !== rows * 8) {
    throw new FilterError(
      `public column ${column} holds ${bytes.byteLength} bytes, not ${rows} float64 values`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = view.getFloat64(i * 8, true);
  return values;
}

const holds = (filter: ComputationFilter): ((v: number) => boolean) => {
  if (filter.op === 'in') {
    const set = new Set(filter.value as readonly number[]);
    return (v) => set.has(v);
  }
  const t = filter.value as number;
  switch (filter.op) {
    case 'eq':
      return (v) => v === t;
    case 'ne':
      return (v) => v !== t;
    case 'lt':
      return (v) => v < t;
    case 'le':
      return (v) => v <= t;
    case 'gt':
      return (v) => v > t;
    case 'ge':
      return (v) => v >= t;
  }
};

/**
 * The filters folded into one 0/1 mask over the rows (1 = aggregated: every filter holds), or undefined when there
 * are none. `values` gives a public column's values by name.
 */
export function foldFilters(
  filters: readonly ComputationFilter[],
  rows: number,
  values: (column: string) => Float64Array,
): Float64Array | undefined {
  if (filters.length === 0) return undefined;
  const mask = new Float64Array(rows).fill(1);
  for (const filter of filters) {
    const column = values(filter.column);
    const test = holds(filter);
    for (let i = 0; i < rows; i++) if (mask[i] === 1 && !test(column[i])) mask[i] = 0;
  }
  return mask;
}
