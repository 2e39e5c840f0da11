import type { Schemas } from '../../api/client';

type Terms = Schemas['TermsResponse'];

/** Whole fen as yuan digits for a form field ("1500.00"), without grouping or a sign: what parseYuan reads back. */
export function formatYuanPlain(fen: string): string {
  const value = BigInt(fen);
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;
}

/** The terms' fields, in the order the diff shows them. */
export const TERM_FIELDS = [
  'purpose',
  'recipes',
  'columns',
  'delivery',
  'billingUnit',
  'priceFen',
  'periodDays',
  'computations',
] as const;
export type TermField = (typeof TERM_FIELDS)[number];

/** Lists compare as sets (the API sorts them); everything else by value. */
export function sameTerm(a: Terms, b: Terms, field: TermField): boolean {
  const x = a[field];
  const y = b[field];
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v) => y.includes(v));
  return x === y;
}

/** What one side of a list change holds that the other does not (to mark the items added or removed). */
export const listOnly = (mine: readonly string[], other: readonly string[]) =>
  mine.filter((v) => !other.includes(v));
