import { bucketOf, fixedPointFactor, type AggregateTerm, type ColumnSpec } from '@app/he/evaluation';
import type { RecipePlan } from './recipe.js';

// What a release of a recipe discloses and how much one row can move it. A recipe releases the vector of its
// decrypted aggregates (its plan's terms in name order; `count`, which has no terms, releases n), noised by the
// output policy; `finish` then runs on the noised aggregates, which is post-processing. Pure and secret-free: it
// reads the plan and the columns' declared ranges only (the data holder's agent and the ε tests share it).

/** A plan's terms in name order: the order of the released vector. */
export type ReleasedTerms = readonly (readonly [name: string, term: AggregateTerm])[];

/** A row as declared values (not encoded): one value per base column a term reads. */
export type DeclaredRow = Readonly<Record<string, number>>;

export function releasedTerms(plan: Pick<RecipePlan, 'terms'>): ReleasedTerms {
  return Object.entries(plan.terms).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Names of the released values, in order: the terms' names, or `n` for a recipe without terms (`count`). */
export function releasedNames(terms: ReleasedTerms): string[] {
  return terms.length === 0 ? ['n'] : terms.map(([name]) => name);
}

/**
 * The released vector from the decrypted aggregates (keyed by term name) and the aggregated row count `n`.
 * Throws when an aggregate of the plan is missing.
 */
export function releasedVector(
  terms: ReleasedTerms,
  decrypted: Readonly<Record<string, number>>,
  n: number,
): number[] {
  if (terms.length === 0) return [n];
  return terms.map(([name]) => {
    const value = decrypted[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`aggregate ${name} is missing`);
    return value;
  });
}

/** The base columns (indicator `b#i` → `b`) the terms read, each once, in first-use order. */
export function baseColumns(terms: ReleasedTerms): string[] {
  return [
    ...new Set(
      terms
        .flatMap(([, t]) => (t.op === 'product' ? [t.left, t.right] : [t.column]))
        .map((c) => c.split('#')[0]),
    ),
  ];
}

/** Encoded value of a column in a row, as the encoder stores it (fixed-point integers, 0/1 bucket indicators). */
export function encodedValue(
  specs: Readonly<Record<string, ColumnSpec>>,
  row: DeclaredRow,
  column: string,
): number {
  const [base, bucket] = column.split('#');
  const spec = specOf(specs, base);
  if (bucket !== undefined) {
    if (!spec.buckets) throw new Error(`column ${base} has no buckets`);
    return bucketOf(spec.buckets, row[base]) === Number(bucket) ? 1 : 0;
  }
  return Math.round(row[column] * fixedPointFactor(spec));
}

/**
 * One row's contribution to each released value (terms in name order; `count` contributes 1). A weighted term
 * uses `weight(term)`: the row's own weight for real neighbours, the largest |weight| for the bound.
 */
export function rowContribution(
  terms: ReleasedTerms,
  specs: Readonly<Record<string, ColumnSpec>>,
  row: DeclaredRow,
  weight: (term: Extract<AggregateTerm, { op: 'weighted' }>) => number,
): number[] {
  if (terms.length === 0) return [1];
  return terms.map(([, term]) => {
    if (term.op === 'sum') return encodedValue(specs, row, term.column);
    if (term.op === 'product')
      return encodedValue(specs, row, term.left) * encodedValue(specs, row, term.right);
    return weight(term) * encodedValue(specs, row, term.column);
  });
}

/** The largest |weight| of a weighted term (0 for none). */
export function largestWeight(term: Extract<AggregateTerm, { op: 'weighted' }>): number {
  let m = 0;
  for (let i = 0; i < term.weights.length; i++) m = Math.max(m, Math.abs(term.weights[i]));
  return m;
}

export interface ReleaseSensitivity {
  /** L1 sensitivity of the released vector in encoded units: the most one row added or removed moves Σ|Δvalue|. */
  readonly delta: number;
  /** A row (declared values of the base columns read) attaining `delta` at the largest weight. */
  readonly heaviest: DeclaredRow;
  /** The released resolution: about 1% of Δ, a power of ten. */
  readonly resolution: string;
  /** Number of released values. */
  readonly dimension: number;
}

/**
 * The L1 sensitivity of a plan's released vector, from the columns' declared ranges: the largest Σ|contribution|
 * of one row. Each contribution is a monomial of degree <= 2 in the columns (times a public weight), whose size
 * grows with each |column|, so the maximum lies at a corner of the declared ranges (at the largest |weight|); a
 * bucketed column also tries one value per bucket (its edges). With several weighted terms each takes its own
 * largest |weight|, which bounds (and for one term attains) the real maximum.
 *
 * Precondition: every column the terms read (the base of an indicator `b#i` included) has its spec in `specs`,
 * and the encoder refused values outside the declared ranges (it does: `parseCell`).
 */
export function releaseSensitivity(
  plan: Pick<RecipePlan, 'terms'>,
  specs: Readonly<Record<string, ColumnSpec>>,
): ReleaseSensitivity {
  const terms = releasedTerms(plan);
  const columns = baseColumns(terms);
  for (const c of columns) specOf(specs, c);
  let best: { row: DeclaredRow; size: number } = { row: {}, size: terms.length === 0 ? 1 : 0 };
  const visit = (depth: number, row: Record<string, number>): void => {
    if (depth === columns.length) {
      const size = l1(rowContribution(terms, specs, row, largestWeight));
      if (size > best.size) best = { row, size };
      return;
    }
    const spec = specs[columns[depth]];
    for (const value of spec.buckets ?? [spec.min, spec.max])
      visit(depth + 1, { ...row, [columns[depth]]: value });
  };
  if (columns.length > 0) visit(0, {});
  if (!(best.size > 0) || !Number.isFinite(best.size)) {
    throw new Error('the declared ranges give this release no positive, finite sensitivity');
  }
  return {
    delta: best.size,
    heaviest: best.row,
    resolution: resolutionFor(best.size),
    dimension: Math.max(1, terms.length),
  };
}

/** A resolution about 1% of Δ (a power of ten), as a data holder would pick: the noise dwarfs it. */
export function resolutionFor(delta: number): string {
  if (!(delta > 0) || !Number.isFinite(delta))
    throw new RangeError(`sensitivity must be positive, got ${delta}`);
  const exponent = Math.floor(Math.log10(delta / 100));
  return exponent >= 0 ? `1${'0'.repeat(exponent)}` : `0.${'0'.repeat(-exponent - 1)}1`;
}

export function l1(v: readonly number[]): number {
  return v.reduce((acc, x) => acc + Math.abs(x), 0);
}

function specOf(specs: Readonly<Record<string, ColumnSpec>>, column: string): ColumnSpec {
  const spec = Object.hasOwn(specs, column) ? specs[column] : undefined;
  if (!spec) throw new Error(`no declared range for column ${column}`);
  return spec;
}
