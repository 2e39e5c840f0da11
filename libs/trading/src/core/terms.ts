import canonicalize from 'canonicalize';
import { sha256, toUtf8Bytes } from 'ethers';
import type { BillingUnit, DeliveryMode } from '@app/compliance';

/**
 * What a buyer and a merchant negotiate (DS 58: content, purpose, method, period). Money is integer fen; for
 * `per-computation` billing `priceFen` is the price of one computation and `computations` how many are bought, for
 * the other units `priceFen` is the whole price and `computations` is null.
 */
export interface Terms {
  purpose: string;
  /** Columns the buyer may use (DS 35 minimum scope): sorted, each once. Empty for a file delivery. */
  columns: string[];
  /** Recipes the buyer may run: sorted, each once. Empty for a file delivery. */
  recipes: string[];
  delivery: DeliveryMode;
  billingUnit: BillingUnit;
  priceFen: bigint;
  periodDays: number;
  computations: number | null;
}

/** The most computations one contract may buy: each is its own escrow hold, funded in one transaction. */
export const MAX_COMPUTATIONS = 1000;
/** The longest period of use a contract may grant. */
export const MAX_PERIOD_DAYS = 3660;

/** Terms as JSON (the stored and hashed form): money as a decimal string. */
export interface TermsJson extends Omit<Terms, 'priceFen'> {
  priceFen: string;
}

export const termsToJson = (t: Terms): TermsJson => ({
  purpose: t.purpose,
  columns: [...t.columns],
  recipes: [...t.recipes],
  delivery: t.delivery,
  billingUnit: t.billingUnit,
  priceFen: t.priceFen.toString(),
  periodDays: t.periodDays,
  computations: t.computations,
});

export const termsFromJson = (j: TermsJson): Terms => ({ ...j, priceFen: BigInt(j.priceFen) });

/** The same terms always look the same: purpose trimmed, columns and recipes sorted and each once. */
export function normaliseTerms(t: Terms): Terms {
  const sorted = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()))].sort();
  return {
    ...t,
    purpose: t.purpose.trim(),
    columns: sorted(t.columns),
    recipes: sorted(t.recipes),
    computations: t.billingUnit === 'per-computation' ? t.computations : null,
  };
}

/**
 * 0x + lowercase hex of SHA-256 over the RFC 8785 canonical JSON of the normalised terms. Both parties sign a
 * contract naming this hash. Precondition: the terms are valid (`normaliseTerms` is applied here).
 */
export function termsHash(t: Terms): string {
  return sha256(toUtf8Bytes(canonicalize(termsToJson(normaliseTerms(t)))!));
}

/** What the contract costs the buyer in all: the price, times the computations for per-computation billing. */
export function totalPriceFen(t: Terms): bigint {
  return t.billingUnit === 'per-computation' ? t.priceFen * BigInt(t.computations ?? 0) : t.priceFen;
}

/** One field that changed between two versions, in words a person reads. */
export interface TermsChange {
  field: keyof Terms;
  from: string;
  to: string;
  /** For the lists: what was added and removed. */
  added?: string[];
  removed?: string[];
}

const shown = (v: Terms[keyof Terms]): string =>
  v === null ? '—' : Array.isArray(v) ? (v.length === 0 ? '(none)' : v.join(', ')) : v.toString();

const FIELDS: (keyof Terms)[] = [
  'purpose',
  'columns',
  'recipes',
  'delivery',
  'billingUnit',
  'priceFen',
  'periodDays',
  'computations',
];

/** The fields of `next` that differ from `previous`, in a fixed order; lists also say what was added and removed. */
export function diffTerms(previous: Terms, next: Terms): TermsChange[] {
  const a = normaliseTerms(previous);
  const b = normaliseTerms(next);
  const changes: TermsChange[] = [];
  for (const field of FIELDS) {
    const from = a[field];
    const to = b[field];
    if (Array.isArray(from) && Array.isArray(to)) {
      const added = to.filter((x) => !from.includes(x));
      const removed = from.filter((x) => !to.includes(x));
      if (added.length + removed.length > 0)
        changes.push({ field, from: shown(from), to: shown(to), added, removed });
    } else if (from !== to) {
      changes.push({ field, from: shown(from), to: shown(to) });
    }
  }
  return changes;
}
