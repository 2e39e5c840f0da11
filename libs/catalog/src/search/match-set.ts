import {
  BILLING_UNITS,
  DELIVERY_MODES,
  PRICING_MODES,
  type BillingUnit,
  type DeliveryMode,
  type PricingMode,
} from '@app/compliance';
import { ValidationFailed } from '@app/core';

// The in-process half of a search: the matches of one text query as columns, and the filters, facets and cursor
// positions worked out over them. Pure: no database, no Nest.

export const LISTED_LEVELS = ['general', 'important'] as const;
export type ListedLevel = (typeof LISTED_LEVELS)[number];

/** The price ranges the facets count, in fen (inclusive bounds; `maxFen` null: no upper bound). */
export const PRICE_RANGES = [
  { range: 'free', minFen: 0n, maxFen: 0n },
  { range: 'under-1000-yuan', minFen: 1n, maxFen: 99_999n },
  { range: '1000-to-10000-yuan', minFen: 100_000n, maxFen: 999_999n },
  { range: '10000-to-100000-yuan', minFen: 1_000_000n, maxFen: 9_999_999n },
  { range: 'from-100000-yuan', minFen: 10_000_000n, maxFen: null },
] as const;

export interface Filters {
  industry?: string;
  level?: ListedLevel;
  pricingMode?: PricingMode;
  billingUnit?: BillingUnit;
  delivery?: DeliveryMode;
  minPriceFen?: bigint;
  maxPriceFen?: bigint;
}

export const filterKey = (f: Filters): string =>
  [
    f.industry ?? '',
    f.level ?? '',
    f.pricingMode ?? '',
    f.billingUnit ?? '',
    f.delivery ?? '',
    f.minPriceFen ?? '',
    f.maxPriceFen ?? '',
  ].join('\u0000');

export interface FacetCountView {
  value: string;
  count: number;
}

export interface PriceFacetView {
  range: string;
  minFen: string;
  maxFen: string | null;
  count: number;
}

export interface CatalogFacetsView {
  industry: FacetCountView[];
  level: FacetCountView[];
  pricingMode: FacetCountView[];
  billingUnit: FacetCountView[];
  delivery: FacetCountView[];
  price: PriceFacetView[];
}

/** A row of `catalog_facets`, as the driver returns it. */
export interface RawFacetRow {
  doc_id: number | string;
  published_ms: number | string;
  industry: string;
  level: string;
  pricing_mode: string;
  price_fen: string;
  billing_units: number | string;
  delivery: string;
}

export function truthy(value: number | boolean | string): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

const INITIAL_CAPACITY = 1024;

/**
 * What filters and facets need of every entry this process has seen, as columns by slot (no object per entry: a
 * hundred thousand of them made most of a cold query's time garbage collection). An entry's row never changes (a
 * new publication is a new doc_id), so a slot never goes stale; a removed entry's slot is simply never matched again.
 */
export class FacetStore {
  readonly slots = new Map<number, number>();
  readonly industries: string[] = [];
  private readonly industryIndex = new Map<string, number>();
  size = 0;
  published = new Float64Array(INITIAL_CAPACITY);
  industry = new Uint32Array(INITIAL_CAPACITY);
  level = new Uint8Array(INITIAL_CAPACITY);
  mode = new Uint8Array(INITIAL_CAPACITY);
  delivery = new Uint8Array(INITIAL_CAPACITY);
  units = new Uint8Array(INITIAL_CAPACITY);
  /** Prices in fen as doubles, exact while every price is a safe integer; `bigPrices` has them all otherwise. */
  prices = new Float64Array(INITIAL_CAPACITY);
  bigPrices = new Map<number, bigint>();

  add(raw: RawFacetRow): void {
    const docId = Number(raw.doc_id);
    if (this.slots.has(docId)) return;
    if (this.size === this.published.length) this.grow();
    const slot = this.size++;
    this.slots.set(docId, slot);
    this.published[slot] = Number(raw.published_ms);
    let industry = this.industryIndex.get(raw.industry);
    if (industry === undefined) {
      industry = this.industries.length;
      this.industries.push(raw.industry);
      this.industryIndex.set(raw.industry, industry);
    }
    this.industry[slot] = industry;
    this.level[slot] = (LISTED_LEVELS as readonly string[]).indexOf(raw.level);
    this.mode[slot] = (PRICING_MODES as readonly string[]).indexOf(raw.pricing_mode);
    this.delivery[slot] = (DELIVERY_MODES as readonly string[]).indexOf(raw.delivery);
    this.units[slot] = Number(raw.billing_units);
    const price = Number(raw.price_fen);
    this.prices[slot] = price;
    if (!Number.isSafeInteger(price)) this.bigPrices.set(slot, BigInt(raw.price_fen));
  }

  private grow(): void {
    const double = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.published = double(this.published);
    this.industry = double(this.industry);
    this.level = double(this.level);
    this.mode = double(this.mode);
    this.delivery = double(this.delivery);
    this.units = double(this.units);
    this.prices = double(this.prices);
  }
}

/**
 * Every listing matching one text query (all listings for an empty one), as columns, in rank order: relevance,
 * then the newest publication, then the newest doc_id. A new filter on a cached query costs no database work.
 */
export interface MatchSet {
  size: number;
  docIds: Float64Array;
  scores: Float64Array;
  published: Float64Array;
  /** Indexes into `industries`. */
  industry: Uint32Array;
  industries: readonly string[];
  level: Uint8Array;
  mode: Uint8Array;
  delivery: Uint8Array;
  units: Uint8Array;
  /** Prices in fen as doubles: exact, since every price is a safe integer (else `bigPrices` holds them). */
  prices: Float64Array;
  bigPrices: bigint[] | null;
}

/** A match set from (doc_id, score) hits and the facet store; hits it lacks (removed meanwhile) are left out. */
export function buildMatchSet(
  docIds: readonly number[],
  scores: readonly number[],
  store: FacetStore,
): MatchSet {
  const slots: number[] = [];
  const ids: number[] = [];
  const rounded: number[] = [];
  for (let i = 0; i < docIds.length; i++) {
    const slot = store.slots.get(docIds[i]);
    if (slot === undefined) continue;
    slots.push(slot);
    ids.push(docIds[i]);
    // Rounded so that both databases' floats, and a cursor's copy of them, compare the same way.
    rounded.push(Math.round(scores[i] * 1e9) / 1e9);
  }
  const n = slots.length;
  const published = store.published;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(
    (a, b) => rounded[b] - rounded[a] || published[slots[b]] - published[slots[a]] || ids[b] - ids[a],
  );
  const set: MatchSet = {
    size: n,
    docIds: new Float64Array(n),
    scores: new Float64Array(n),
    published: new Float64Array(n),
    industry: new Uint32Array(n),
    industries: store.industries,
    level: new Uint8Array(n),
    mode: new Uint8Array(n),
    delivery: new Uint8Array(n),
    units: new Uint8Array(n),
    prices: new Float64Array(n),
    bigPrices: null,
  };
  for (let i = 0; i < n; i++) {
    const from = order[i];
    const slot = slots[from];
    set.docIds[i] = ids[from];
    set.scores[i] = rounded[from];
    set.published[i] = published[slot];
    set.industry[i] = store.industry[slot];
    set.level[i] = store.level[slot];
    set.mode[i] = store.mode[slot];
    set.delivery[i] = store.delivery[slot];
    set.units[i] = store.units[slot];
    set.prices[i] = store.prices[slot];
  }
  if (store.bigPrices.size > 0) {
    const exact = (slot: number) => store.bigPrices.get(slot) ?? BigInt(store.prices[slot]);
    set.bigPrices = Array.from(order, (from) => exact(slots[from]));
  }
  return set;
}

/** The positions (into a match set) that pass a request's filters, in rank order, and the facets. */
export interface Filtered {
  positions: Int32Array;
  facets: CatalogFacetsView;
}

const UNIT_BITS: Record<BillingUnit, number> = { 'one-off': 1, subscription: 2, 'per-computation': 4 };

// As doubles: comparing a double with a bigint in the loop below made it ten times slower.
const RANGE_FLOORS = PRICE_RANGES.map((r) => Number(r.minFen));

function priceRangeOf(price: number): number {
  for (let i = RANGE_FLOORS.length - 1; i > 0; i--) if (price >= RANGE_FLOORS[i]) return i;
  return 0;
}

function bigPriceRangeOf(price: bigint): number {
  for (let i = PRICE_RANGES.length - 1; i > 0; i--) if (price >= PRICE_RANGES[i].minFen) return i;
  return 0;
}

/**
 * The filters over a match set, and the facets. A facet's counts are over the query's matches with every OTHER
 * filter applied (its own filter left out), so each count says how many results choosing that value gives.
 */
export function applyFilters(set: MatchSet, f: Filters): Filtered {
  const INDUSTRY = 1,
    LEVEL = 2,
    MODE = 4,
    UNIT = 8,
    DELIVERY = 16,
    PRICE = 32;
  const industry = f.industry === undefined ? -2 : set.industries.indexOf(f.industry);
  const level = f.level === undefined ? -2 : LISTED_LEVELS.indexOf(f.level);
  const mode = f.pricingMode === undefined ? -2 : PRICING_MODES.indexOf(f.pricingMode);
  const unit = f.billingUnit === undefined ? 0 : UNIT_BITS[f.billingUnit];
  const delivery = f.delivery === undefined ? -2 : DELIVERY_MODES.indexOf(f.delivery);
  // With every price a safe integer, comparing doubles with the bounds as doubles gives the exact answer (a bound
  // beyond 2^53 rounds to at least 2^53, above every price, as the bound itself is).
  const big = set.bigPrices;
  const min = f.minPriceFen === undefined ? -Infinity : Number(f.minPriceFen);
  const max = f.maxPriceFen === undefined ? Infinity : Number(f.maxPriceFen);
  const outside = big
    ? (i: number) =>
        (f.minPriceFen !== undefined && big[i] < f.minPriceFen) ||
        (f.maxPriceFen !== undefined && big[i] > f.maxPriceFen)
    : (i: number) => set.prices[i] < min || set.prices[i] > max;

  const industryCounts = new Float64Array(set.industries.length);
  const levelCounts = new Float64Array(LISTED_LEVELS.length);
  const modeCounts = new Float64Array(PRICING_MODES.length);
  const unitCounts = new Float64Array(3);
  const deliveryCounts = new Float64Array(DELIVERY_MODES.length);
  const priceCounts = new Float64Array(PRICE_RANGES.length);
  const positions = new Int32Array(set.size);
  let kept = 0;
  for (let i = 0; i < set.size; i++) {
    let failed = 0;
    if (industry !== -2 && set.industry[i] !== industry) failed |= INDUSTRY;
    if (level !== -2 && set.level[i] !== level) failed |= LEVEL;
    if (mode !== -2 && set.mode[i] !== mode) failed |= MODE;
    if (unit !== 0 && (set.units[i] & unit) === 0) failed |= UNIT;
    if (delivery !== -2 && set.delivery[i] !== delivery) failed |= DELIVERY;
    if (outside(i)) failed |= PRICE;
    if (failed === 0) positions[kept++] = i;
    // Counted for a facet when every other filter passes.
    if ((failed & ~INDUSTRY) === 0) industryCounts[set.industry[i]]++;
    if ((failed & ~LEVEL) === 0) levelCounts[set.level[i]]++;
    if ((failed & ~MODE) === 0) modeCounts[set.mode[i]]++;
    if ((failed & ~UNIT) === 0) {
      const units = set.units[i];
      if (units & 1) unitCounts[0]++;
      if (units & 2) unitCounts[1]++;
      if (units & 4) unitCounts[2]++;
    }
    if ((failed & ~DELIVERY) === 0) deliveryCounts[set.delivery[i]]++;
    if ((failed & ~PRICE) === 0) priceCounts[big ? bigPriceRangeOf(big[i]) : priceRangeOf(set.prices[i])]++;
  }
  const facets: CatalogFacetsView = {
    industry: set.industries
      .map((value, i) => ({ value, count: industryCounts[i] }))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
    level: LISTED_LEVELS.map((value, i) => ({ value, count: levelCounts[i] })),
    pricingMode: PRICING_MODES.map((value, i) => ({ value, count: modeCounts[i] })),
    billingUnit: BILLING_UNITS.map((value, i) => ({ value, count: unitCounts[i] })),
    delivery: DELIVERY_MODES.map((value, i) => ({ value, count: deliveryCounts[i] })),
    price: PRICE_RANGES.map((r, i) => ({
      range: r.range,
      minFen: r.minFen.toString(),
      maxFen: r.maxFen === null ? null : r.maxFen.toString(),
      count: priceCounts[i],
    })),
  };
  return { positions: positions.slice(0, kept), facets };
}

// ---- cursors ----------------------------------------------------------------------------------------------------

export interface Cursor {
  score: number;
  published: number;
  docId: number;
}

/** Rank order: higher score first, then newer, then higher doc_id; `a` before `b` gives a negative number. */
function compareKeys(a: Cursor, b: Cursor): number {
  return b.score - a.score || b.published - a.published || b.docId - a.docId;
}

export const cursorAt = (set: MatchSet, position: number): Cursor => ({
  score: set.scores[position],
  published: set.published[position],
  docId: set.docIds[position],
});

/** The first index in `positions` whose listing comes after the cursor in rank order. */
export function firstAfter(set: MatchSet, positions: Int32Array, cursor: Cursor): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(cursorAt(set, positions[mid]), cursor) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cursor is the last item's place in the order (not an offset), so it stays right when listings come and go. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.score, cursor.published, cursor.docId])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  const refuse = () =>
    new ValidationFailed('after: not a cursor this catalogue gave (use the `next` of a page)');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    !Number.isSafeInteger(value[2]) ||
    (value[2] as number) < 1
  )
    throw refuse();
  const [score, published, docId] = value as [number, number, number];
  return { score, published, docId };
}
