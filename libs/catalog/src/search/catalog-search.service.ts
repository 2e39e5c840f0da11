import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  BILLING_UNITS,
  DELIVERY_MODES,
  PRICING_MODES,
  type BillingUnit,
  type DeliveryMode,
  type PricingMode,
} from '@app/compliance';
import { ValidationFailed } from '@app/core';
import { ftsQuery, tsQuery } from './catalog-documents.js';
import { dialectOf, type Dialect } from './catalog-index.js';
import { highlightDescription, highlightTitle } from './highlighter.js';
import { MAX_QUERY_TERMS, parseQuery, type ParsedQuery } from './tokeniser.js';

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

export interface CatalogSearchRequest {
  q?: string;
  industry?: string;
  level?: ListedLevel;
  pricingMode?: PricingMode;
  billingUnit?: BillingUnit;
  delivery?: DeliveryMode;
  minPriceFen?: bigint;
  maxPriceFen?: bigint;
  after?: string;
  limit: number;
}

/** A result: the listing's snapshot without its full description (the highlight carries a snippet of it). */
export interface CatalogItemView {
  id: string;
  title: string;
  industry: string;
  level: ListedLevel;
  pricing: { mode: PricingMode; priceFen: string; category: string | null };
  billingUnits: BillingUnit[];
  delivery: DeliveryMode;
  recipes: string[];
  minRows: number | null;
  merchant: { id: string; name: string };
  publishedAt: string;
  highlights: { title: string; description: string };
}

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

export interface CatalogPageView {
  items: CatalogItemView[];
  total: number;
  facets: CatalogFacetsView;
  next: string | null;
}

// ---- the in-process caches -------------------------------------------------------------------------------------

/** Bounds on what one process keeps; every cache is dropped when the catalogue's generation moves. */
const LIMITS = {
  /** Serialised answers. */
  bodies: 4096,
  bodyBytes: 32 * 1024 * 1024,
  /** Match sets (every listing matching one text query), counted in listings. */
  matchSets: 64,
  matchRows: 1_500_000,
  /** Filtered, ranked lists kept per match set. */
  filteredPerSet: 32,
  /** Entries (an entry's row never changes: a new publication is a new doc_id). */
  rows: 20_000,
};

/** A Map kept in least-recently-used order, trimmed from the oldest end. */
class Lru<K, V> {
  readonly map = new Map<K, V>();
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
  }
  /** Drops the oldest entries while `over()` says so; `dropped` hears of each. */
  trim(over: () => boolean, dropped?: (value: V) => void): void {
    for (const [key, value] of this.map) {
      if (!over()) return;
      this.map.delete(key);
      dropped?.(value);
    }
  }
  clear(): void {
    this.map.clear();
  }
}

const LEVEL_CODES = LISTED_LEVELS;
const MODE_CODES = PRICING_MODES;
const DELIVERY_CODES = DELIVERY_MODES;
const UNIT_BITS: Record<BillingUnit, number> = { 'one-off': 1, subscription: 2, 'per-computation': 4 };

/**
 * Every listing matching one text query (all listings for an empty one), as columns, in rank order: relevance,
 * then the newest publication, then the newest doc_id. Filters and facets are worked out from these columns in the
 * process, so a new filter on a cached query costs no database work.
 */
interface MatchSet {
  size: number;
  docIds: Float64Array;
  scores: Float64Array;
  published: Float64Array;
  industry: Uint32Array;
  industries: string[];
  level: Uint8Array;
  mode: Uint8Array;
  delivery: Uint8Array;
  units: Uint8Array;
  prices: BigInt64Array;
  filtered: Lru<string, Filtered>;
  filteredRows: number;
}

/** The positions (into a match set) that pass a request's filters, in rank order, and the facets. */
interface Filtered {
  positions: Int32Array;
  facets: CatalogFacetsView;
}

interface EntryRow {
  doc_id: number | string;
  listing_id: string;
  organisation_id: string;
  merchant_name: string;
  title: string;
  description: string;
  industry: string;
  level: ListedLevel;
  pricing_mode: PricingMode;
  price_fen: string;
  pricing_category: string | null;
  bill_one_off: number | boolean;
  bill_subscription: number | boolean;
  bill_per_computation: number | boolean;
  delivery: DeliveryMode;
  recipes: string | string[];
  min_rows: number | null;
  published_at: string | Date;
}

/** What a page needs of an entry: its item without highlights, and the description the snippet is cut from. */
interface ItemBase {
  item: Omit<CatalogItemView, 'highlights'>;
  description: string;
}

interface Cursor {
  score: number;
  published: number;
  docId: number;
}

export const MAX_QUERY_LENGTH = 200;

/**
 * The catalogue's search: parses the query with the index's own tokeniser, asks the database's full-text index for
 * the matches (FTS5 with bm25, PostgreSQL with ts_rank, both weighting title over description over the rest), then
 * filters, counts facets, pages and highlights in the process.
 *
 * Answers are cached in the process under the catalogue's generation, which every publication and removal moves in
 * its own transaction: each request reads the generation (one indexed single-row read) and drops every cached
 * answer once it has moved, so nothing stale is ever served after the change committed.
 */
@Injectable()
export class CatalogSearch {
  private generation = -1;
  private readonly bodies = new Lru<string, Buffer>();
  private bodyBytes = 0;
  private readonly matchSets = new Lru<string, MatchSet>();
  private matchRows = 0;
  private readonly pending = new Map<string, Promise<MatchSet>>();
  private readonly rows = new Lru<number, ItemBase>();

  constructor(private readonly orm: MikroORM) {}

  /**
   * The answer as UTF-8 JSON bytes, what the route sends as is: kept as bytes because encoding a page of Chinese text
   * to UTF-8 on every request was the largest cost of a cached answer.
   */
  async searchJson(request: CatalogSearchRequest): Promise<Buffer> {
    const query = this.parse(request);
    const cursor = request.after === undefined ? undefined : decodeCursor(request.after);
    const em = this.orm.em.fork() as EntityManager;
    const generation = await this.currentGeneration(em);
    const bodyKey = [
      query.key,
      request.industry ?? '',
      request.level ?? '',
      request.pricingMode ?? '',
      request.billingUnit ?? '',
      request.delivery ?? '',
      request.minPriceFen ?? '',
      request.maxPriceFen ?? '',
      request.after ?? '',
      request.limit,
    ].join('\u0000');
    const kept = this.bodies.get(bodyKey);
    if (kept !== undefined) return kept;

    const set = await this.matchSet(em, generation, query);
    const filtered = this.filtered(set, request);
    const start = cursor === undefined ? 0 : firstAfter(set, filtered.positions, cursor);
    const page = Array.from(filtered.positions.subarray(start, start + request.limit));
    const bases = await this.entries(
      em,
      page.map((p) => set.docIds[p]),
    );
    const items: CatalogItemView[] = [];
    for (const p of page) {
      const base = bases.get(set.docIds[p]);
      // Gone between the match and this read (a removal committed meanwhile): the next request sees the change.
      if (base === undefined) continue;
      items.push({
        ...base.item,
        highlights: {
          title: highlightTitle(base.item.title, query),
          description: highlightDescription(base.description, query),
        },
      });
    }
    const last = page[page.length - 1];
    const more = start + request.limit < filtered.positions.length;
    const view: CatalogPageView = {
      items,
      total: filtered.positions.length,
      facets: filtered.facets,
      next:
        more && last !== undefined
          ? encodeCursor({ score: set.scores[last], published: set.published[last], docId: set.docIds[last] })
          : null,
    };
    const body = Buffer.from(JSON.stringify(view));
    if (generation === this.generation) {
      this.bodies.set(bodyKey, body);
      this.bodyBytes += body.length;
      this.bodies.trim(
        () => this.bodies.map.size > LIMITS.bodies || this.bodyBytes > LIMITS.bodyBytes,
        (b) => (this.bodyBytes -= b.length),
      );
    }
    return body;
  }

  /** The answer as an object (for callers in the process). */
  async search(request: CatalogSearchRequest): Promise<CatalogPageView> {
    return JSON.parse((await this.searchJson(request)).toString('utf8')) as CatalogPageView;
  }

  private parse(request: CatalogSearchRequest): ParsedQuery {
    const q = request.q ?? '';
    if (q.length > MAX_QUERY_LENGTH) throw new ValidationFailed(`q: at most ${MAX_QUERY_LENGTH} characters`);
    const query = parseQuery(q);
    if (query.required.length > MAX_QUERY_TERMS)
      throw new ValidationFailed(`q: at most ${MAX_QUERY_TERMS} distinct words or character pairs`);
    if (
      request.minPriceFen !== undefined &&
      request.maxPriceFen !== undefined &&
      request.minPriceFen > request.maxPriceFen
    )
      throw new ValidationFailed('minPriceFen must not be above maxPriceFen');
    return query;
  }

  /** Reads the generation; when it moved, every cached answer is dropped (entries stay: they never change). */
  private async currentGeneration(em: EntityManager): Promise<number> {
    const [row] = await em
      .getConnection()
      .execute<{ generation: number | string }[]>(
        'select "generation" from "catalog_state" where "id" = ?',
        [1],
      );
    const generation = Number(row?.generation ?? 0);
    if (generation > this.generation) {
      this.generation = generation;
      this.bodies.clear();
      this.bodyBytes = 0;
      this.matchSets.clear();
      this.matchRows = 0;
      this.pending.clear();
    }
    return generation;
  }

  private async matchSet(em: EntityManager, generation: number, query: ParsedQuery): Promise<MatchSet> {
    const kept = this.matchSets.get(query.key);
    if (kept !== undefined) return kept;
    // Concurrent requests for the same uncached query share one database read.
    const pendingKey = `${generation}\u0000${query.key}`;
    let loading = this.pending.get(pendingKey);
    if (loading === undefined) {
      loading = this.loadMatchSet(em, query);
      this.pending.set(pendingKey, loading);
      void loading
        .then((set) => {
          if (generation !== this.generation) return;
          this.matchSets.set(query.key, set);
          this.matchRows += set.size;
          this.matchSets.trim(
            () => this.matchSets.map.size > LIMITS.matchSets || this.matchRows > LIMITS.matchRows,
            (dropped) => (this.matchRows -= dropped.size + dropped.filteredRows),
          );
        })
        .catch(() => undefined)
        .finally(() => this.pending.delete(pendingKey));
    }
    return loading;
  }

  private async loadMatchSet(em: EntityManager, query: ParsedQuery): Promise<MatchSet> {
    const dialect: Dialect = dialectOf(em);
    const columns = `e."doc_id", e."published_at", e."industry", e."level", e."pricing_mode",
      cast(e."price_fen" as text) as "price_fen", e."bill_one_off", e."bill_subscription",
      e."bill_per_computation", e."delivery"`;
    let sql: string;
    let params: unknown[];
    if (query.required.length === 0) {
      sql = `select ${columns}, 0 as "score" from "catalog_entries" e`;
      params = [];
    } else if (dialect === 'sqlite') {
      // bm25 is smaller for better matches; column weights: title 10, description 4, merchant/industry/category 2.
      sql = `select ${columns}, -bm25("catalog_fts", 10.0, 4.0, 2.0) as "score"
        from "catalog_fts" join "catalog_entries" e on e."doc_id" = "catalog_fts"."rowid"
        where "catalog_fts" match ?`;
      params = [ftsQuery(query)];
    } else {
      // ts_rank's weights are {D, C, B, A}: title (A) 1.0, description (B) 0.4, the rest (C) 0.2.
      sql = `select ${columns}, ts_rank('{0.1, 0.2, 0.4, 1.0}', e."tsv", q.query) as "score"
        from "catalog_entries" e, (select cast(? as tsquery) as "query") q
        where e."tsv" @@ q.query`;
      params = [tsQuery(query)];
    }
    const rows = await em.getConnection().execute<
      {
        doc_id: number | string;
        published_at: string | Date;
        industry: string;
        level: string;
        pricing_mode: string;
        price_fen: string;
        bill_one_off: number | boolean;
        bill_subscription: number | boolean;
        bill_per_computation: number | boolean;
        delivery: string;
        score: number | string;
      }[]
    >(sql, params);
    const n = rows.length;
    const order = new Array<number>(n);
    const docIds = new Float64Array(n);
    const scores = new Float64Array(n);
    const published = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      order[i] = i;
      docIds[i] = Number(r.doc_id);
      // Rounded so that both databases' floats, and a cursor's copy of them, compare the same way.
      scores[i] = Math.round(Number(r.score) * 1e9) / 1e9;
      published[i] = new Date(r.published_at).getTime();
    }
    order.sort((a, b) => scores[b] - scores[a] || published[b] - published[a] || docIds[b] - docIds[a]);
    const industries: string[] = [];
    const industryIndex = new Map<string, number>();
    const set: MatchSet = {
      size: n,
      docIds: new Float64Array(n),
      scores: new Float64Array(n),
      published: new Float64Array(n),
      industry: new Uint32Array(n),
      industries,
      level: new Uint8Array(n),
      mode: new Uint8Array(n),
      delivery: new Uint8Array(n),
      units: new Uint8Array(n),
      prices: new BigInt64Array(n),
      filtered: new Lru(),
      filteredRows: 0,
    };
    order.forEach((from, to) => {
      const r = rows[from];
      set.docIds[to] = docIds[from];
      set.scores[to] = scores[from];
      set.published[to] = published[from];
      let industry = industryIndex.get(r.industry);
      if (industry === undefined) {
        industry = industries.length;
        industries.push(r.industry);
        industryIndex.set(r.industry, industry);
      }
      set.industry[to] = industry;
      set.level[to] = (LEVEL_CODES as readonly string[]).indexOf(r.level);
      set.mode[to] = (MODE_CODES as readonly string[]).indexOf(r.pricing_mode);
      set.delivery[to] = (DELIVERY_CODES as readonly string[]).indexOf(r.delivery);
      set.units[to] =
        (truthy(r.bill_one_off) ? 1 : 0) |
        (truthy(r.bill_subscription) ? 2 : 0) |
        (truthy(r.bill_per_computation) ? 4 : 0);
      set.prices[to] = BigInt(r.price_fen);
    });
    return set;
  }

  /**
   * The request's filters over a match set, and the facets. A facet's counts are over the query's matches with every
   * OTHER filter applied (its own filter left out), so each count says how many results choosing that value gives.
   */
  private filtered(set: MatchSet, request: CatalogSearchRequest): Filtered {
    const key = [
      request.industry ?? '',
      request.level ?? '',
      request.pricingMode ?? '',
      request.billingUnit ?? '',
      request.delivery ?? '',
      request.minPriceFen ?? '',
      request.maxPriceFen ?? '',
    ].join('\u0000');
    const kept = set.filtered.get(key);
    if (kept !== undefined) return kept;

    const INDUSTRY = 1,
      LEVEL = 2,
      MODE = 4,
      UNIT = 8,
      DELIVERY = 16,
      PRICE = 32;
    const industry = request.industry === undefined ? -2 : set.industries.indexOf(request.industry);
    const level = request.level === undefined ? -2 : LEVEL_CODES.indexOf(request.level);
    const mode = request.pricingMode === undefined ? -2 : MODE_CODES.indexOf(request.pricingMode);
    const unit = request.billingUnit === undefined ? 0 : UNIT_BITS[request.billingUnit];
    const delivery = request.delivery === undefined ? -2 : DELIVERY_CODES.indexOf(request.delivery);
    const min = request.minPriceFen;
    const max = request.maxPriceFen;

    const industryCounts = new Float64Array(set.industries.length);
    const levelCounts = new Float64Array(LEVEL_CODES.length);
    const modeCounts = new Float64Array(MODE_CODES.length);
    const unitCounts = new Float64Array(3);
    const deliveryCounts = new Float64Array(DELIVERY_CODES.length);
    const priceCounts = new Float64Array(PRICE_RANGES.length);
    const positions: number[] = [];
    for (let i = 0; i < set.size; i++) {
      let failed = 0;
      if (industry !== -2 && set.industry[i] !== industry) failed |= INDUSTRY;
      if (level !== -2 && set.level[i] !== level) failed |= LEVEL;
      if (mode !== -2 && set.mode[i] !== mode) failed |= MODE;
      if (unit !== 0 && (set.units[i] & unit) === 0) failed |= UNIT;
      if (delivery !== -2 && set.delivery[i] !== delivery) failed |= DELIVERY;
      const price = set.prices[i];
      if ((min !== undefined && price < min) || (max !== undefined && price > max)) failed |= PRICE;
      if (failed === 0) positions.push(i);
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
      if ((failed & ~PRICE) === 0) priceCounts[priceRange(price)]++;
    }
    const facets: CatalogFacetsView = {
      industry: set.industries
        .map((value, i) => ({ value, count: industryCounts[i] }))
        .filter((f) => f.count > 0)
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
      level: LEVEL_CODES.map((value, i) => ({ value, count: levelCounts[i] })),
      pricingMode: MODE_CODES.map((value, i) => ({ value, count: modeCounts[i] })),
      billingUnit: BILLING_UNITS.map((value) => ({ value, count: unitCounts[Math.log2(UNIT_BITS[value])] })),
      delivery: DELIVERY_CODES.map((value, i) => ({ value, count: deliveryCounts[i] })),
      price: PRICE_RANGES.map((r, i) => ({
        range: r.range,
        minFen: r.minFen.toString(),
        maxFen: r.maxFen === null ? null : r.maxFen.toString(),
        count: priceCounts[i],
      })),
    };
    const result: Filtered = { positions: Int32Array.from(positions), facets };
    set.filtered.set(key, result);
    set.filteredRows += positions.length;
    this.matchRows += positions.length;
    set.filtered.trim(
      () => set.filtered.map.size > LIMITS.filteredPerSet,
      (dropped) => {
        set.filteredRows -= dropped.positions.length;
        this.matchRows -= dropped.positions.length;
      },
    );
    return result;
  }

  /** The entries of these doc ids, from the process's cache or one read. */
  private async entries(em: EntityManager, docIds: number[]): Promise<Map<number, ItemBase>> {
    const found = new Map<number, ItemBase>();
    const missing: number[] = [];
    for (const id of docIds) {
      const kept = this.rows.get(id);
      if (kept) found.set(id, kept);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = await em.getConnection().execute<EntryRow[]>(
        `select "doc_id", "listing_id", "organisation_id", "merchant_name", "title", "description", "industry",
          "level", "pricing_mode", cast("price_fen" as text) as "price_fen", "pricing_category", "bill_one_off",
          "bill_subscription", "bill_per_computation", "delivery", "recipes", "min_rows", "published_at"
         from "catalog_entries" where "doc_id" in (?)`,
        [missing],
      );
      for (const row of rows) {
        const base = itemBase(row);
        const id = Number(row.doc_id);
        found.set(id, base);
        this.rows.set(id, base);
      }
      this.rows.trim(() => this.rows.map.size > LIMITS.rows);
    }
    return found;
  }
}

function truthy(value: number | boolean | string): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

function priceRange(price: bigint): number {
  for (let i = PRICE_RANGES.length - 1; i >= 0; i--) if (price >= PRICE_RANGES[i].minFen) return i;
  return 0;
}

function itemBase(row: EntryRow): ItemBase {
  const units: BillingUnit[] = [];
  if (truthy(row.bill_one_off)) units.push('one-off');
  if (truthy(row.bill_subscription)) units.push('subscription');
  if (truthy(row.bill_per_computation)) units.push('per-computation');
  const item = {
    id: row.listing_id,
    title: row.title,
    industry: row.industry,
    level: row.level,
    pricing: { mode: row.pricing_mode, priceFen: row.price_fen, category: row.pricing_category },
    billingUnits: units,
    delivery: row.delivery,
    recipes: typeof row.recipes === 'string' ? (JSON.parse(row.recipes) as string[]) : row.recipes,
    minRows: row.min_rows === null ? null : Number(row.min_rows),
    merchant: { id: row.organisation_id, name: row.merchant_name },
    publishedAt: new Date(row.published_at).toISOString(),
  };
  return { item, description: row.description };
}

/** Rank order: higher score first, then newer, then higher doc_id; `a` before `b` gives a negative number. */
function compareKeys(a: Cursor, b: Cursor): number {
  return b.score - a.score || b.published - a.published || b.docId - a.docId;
}

/** The first position in the ranked list that comes after the cursor. */
function firstAfter(set: MatchSet, positions: Int32Array, cursor: Cursor): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = positions[mid];
    const key = { score: set.scores[p], published: set.published[p], docId: set.docIds[p] };
    if (compareKeys(key, cursor) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cursor is the last item's place in the order (not an offset), so it stays right when listings come and go. */
function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.score, cursor.published, cursor.docId])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
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
