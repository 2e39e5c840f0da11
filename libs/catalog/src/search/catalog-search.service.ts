import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { gzipSync } from 'node:zlib';
import type { EntityManager } from '@mikro-orm/sql';
import type { BillingUnit, DeliveryMode, PricingMode } from '@app/compliance';
import { ValidationFailed } from '@app/core';
import { ftsQuery, tsQuery } from './catalog-documents.js';
import { highlightDescription, highlightTitle } from './highlighter.js';
import {
  applyFilters,
  buildMatchSet,
  cursorAt,
  decodeCursor,
  encodeCursor,
  filterKey,
  firstAfter,
  truthy,
  type CatalogFacetsView,
  FacetStore,
  type Filtered,
  type Filters,
  type ListedLevel,
  type MatchSet,
  type RawFacetRow,
} from './match-set.js';
import { loadSegmenter, MAX_QUERY_TERMS, parseQuery, type ParsedQuery } from './tokeniser.js';
import { sqlKindOf } from '@app/database';

export {
  LISTED_LEVELS,
  PRICE_RANGES,
  type CatalogFacetsView,
  type FacetCountView,
  type ListedLevel,
  type PriceFacetView,
} from './match-set.js';

export interface CatalogSearchRequest extends Filters {
  q?: string;
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

export interface CatalogPageView {
  items: CatalogItemView[];
  total: number;
  facets: CatalogFacetsView;
  next: string | null;
}

export const MAX_QUERY_LENGTH = 200;

/**
 * One answer as it goes on the wire: UTF-8 JSON bytes, and the same gzipped, made on first demand and kept with it.
 * A page of twenty results is ~15 KB where `/health` is ~130 bytes; writing it to the socket was most of a cached
 * answer's cost, and Chinese JSON gzips to about a third.
 */
export class CatalogAnswer {
  private gzipped?: Buffer;
  constructor(readonly json: Buffer) {}

  gzip(): Buffer {
    this.gzipped ??= gzipSync(this.json);
    return this.gzipped;
  }
}

// ---- the in-process caches -------------------------------------------------------------------------------------

/** Bounds on what one process keeps. Answers and match sets are dropped when the catalogue's generation moves. */
const LIMITS = {
  /** Serialised answers. */
  bodies: 4096,
  bodyBytes: 32 * 1024 * 1024,
  /** Match sets (every listing matching one text query), counted in listings (~60 bytes each). */
  matchSets: 64,
  matchRows: 1_000_000,
  /** Sets this large are kept over smaller ones when the count is over. */
  largeMatchSet: 10_000,
  /** Filtered, ranked lists (4 bytes a listing). */
  filtered: 1024,
  filteredRows: 4_000_000,
  /** Page entries and facet rows (an entry's row never changes: a new publication is a new doc_id). */
  rows: 20_000,
  /** Facet rows kept beyond the live catalogue before they are read afresh (removed entries leave theirs behind). */
  facetSlack: 2,
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
  delete(key: K): void {
    this.map.delete(key);
  }
  /** Drops the oldest entries while `over()` says so; `dropped` hears of each. */
  trim(over: () => boolean, dropped?: (value: V, key: K) => void): void {
    for (const [key, value] of this.map) {
      if (!over()) return;
      this.map.delete(key);
      dropped?.(value, key);
    }
  }
  clear(): void {
    this.map.clear();
  }
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
interface PageEntry {
  item: Omit<CatalogItemView, 'highlights'>;
  description: string;
}

const FACET_COLUMNS = `"doc_id", "published_ms", "industry", "level", "pricing_mode",
  cast("price_fen" as text) as "price_fen", "billing_units", "delivery"`;

/**
 * The catalogue's search: parses the query with the index's own tokeniser, asks the database's full-text index for
 * the matching doc_ids and their relevance (FTS5 bm25, PostgreSQL ts_rank, both weighting title over description
 * over the rest), then ranks, filters, counts facets, pages and highlights in the process, from facet rows it keeps
 * per doc_id (an entry's row never changes, so they never go stale; a removed entry is simply no longer matched).
 *
 * Answers are cached in the process under the catalogue's generation, which every publication and removal moves in
 * its own transaction: each request reads the generation (one single-row read by primary key) and drops every cached
 * answer and match set once it has moved, so nothing stale is served after the change committed.
 */
@Injectable()
export class CatalogSearch implements OnApplicationBootstrap, OnModuleDestroy {
  private generation = -1;
  private readonly bodies = new Lru<string, CatalogAnswer>();
  private bodyBytes = 0;
  private readonly matchSets = new Lru<string, MatchSet>();
  private matchRows = 0;
  private readonly filtered = new Lru<string, Filtered>();
  private filteredRows = 0;
  private readonly pending = new Map<string, Promise<MatchSet>>();
  private readonly pageEntries = new Lru<number, PageEntry>();
  private facets = new FacetStore();
  /** Live entries at the last full read; the facet rows are read afresh once they outgrow it by `facetSlack`. */
  private liveAtLastRead = 0;

  constructor(private readonly orm: MikroORM) {}

  private preload?: NodeJS.Timeout;

  /**
   * jieba's dictionary takes a few hundred ms to load: a second after start rather than in the first Chinese query
   * (and not at all in a CLI command that is over by then).
   */
  onApplicationBootstrap(): void {
    this.preload = setTimeout(loadSegmenter, 1000).unref();
  }

  onModuleDestroy(): void {
    clearTimeout(this.preload);
  }

  /**
   * The answer as bytes, what the route sends as is: kept as bytes because encoding a page of Chinese text to UTF-8
   * on every request was the largest cost of a cached answer after writing it.
   */
  async answer(request: CatalogSearchRequest): Promise<CatalogAnswer> {
    const query = this.parse(request);
    const cursor = request.after === undefined ? undefined : decodeCursor(request.after);
    // Only raw statements, no entities: the global manager serves, without a fork per request.
    const em = this.orm.em as EntityManager;
    const generation = await this.currentGeneration(em);
    const filters = filterKey(request);
    const bodyKey = `${query.key}\u0000${filters}\u0000${request.after ?? ''}\u0000${request.limit}`;
    const kept = this.bodies.get(bodyKey);
    if (kept !== undefined) return kept;

    const set = await this.matchSet(em, generation, query);
    const filtered = this.filter(set, query, filters, request, generation);
    const start = cursor === undefined ? 0 : firstAfter(set, filtered.positions, cursor);
    const page = Array.from(filtered.positions.subarray(start, start + request.limit));
    const entries = await this.entries(
      em,
      page.map((p) => set.docIds[p]),
    );
    const items: CatalogItemView[] = [];
    for (const p of page) {
      const entry = entries.get(set.docIds[p]);
      // Gone between the match and this read (a removal committed meanwhile): the next request sees the change.
      if (entry === undefined) continue;
      items.push({
        ...entry.item,
        highlights: {
          title: highlightTitle(entry.item.title, query),
          description: highlightDescription(entry.description, query),
        },
      });
    }
    const last = page[page.length - 1];
    const more = start + request.limit < filtered.positions.length;
    const view: CatalogPageView = {
      items,
      total: filtered.positions.length,
      facets: filtered.facets,
      next: more && last !== undefined ? encodeCursor(cursorAt(set, last)) : null,
    };
    const body = new CatalogAnswer(Buffer.from(JSON.stringify(view)));
    if (generation === this.generation) {
      this.bodies.set(bodyKey, body);
      // Counted with room for its gzipped copy.
      this.bodyBytes += body.json.length * 1.5;
      this.bodies.trim(
        () => this.bodies.map.size > LIMITS.bodies || this.bodyBytes > LIMITS.bodyBytes,
        (b) => (this.bodyBytes -= b.json.length * 1.5),
      );
    }
    return body;
  }

  /** The answer as an object (for callers in the process). */
  async search(request: CatalogSearchRequest): Promise<CatalogPageView> {
    return JSON.parse((await this.answer(request)).json.toString('utf8')) as CatalogPageView;
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

  /** The read of the generation in flight, and the one queued to start when it ends. */
  private generationRead?: Promise<number>;
  private generationQueued?: Promise<number>;

  /**
   * The generation as of a read that started after this call: so every change committed before the request came is
   * seen. Requests that come while a read is in flight share the one read queued behind it, so under load the
   * database answers one generation read per round trip, not one per request.
   * When it moved, cached answers, match sets and filtered lists are dropped (entry rows never change).
   */
  private async currentGeneration(em: EntityManager): Promise<number> {
    let read: Promise<number>;
    if (this.generationRead === undefined) read = this.startGenerationRead(em);
    else {
      this.generationQueued ??= this.generationRead
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          this.generationQueued = undefined;
          return this.startGenerationRead(em);
        });
      read = this.generationQueued;
    }
    const generation = await read;
    if (generation > this.generation) {
      this.generation = generation;
      this.bodies.clear();
      this.bodyBytes = 0;
      this.matchSets.clear();
      this.matchRows = 0;
      this.filtered.clear();
      this.filteredRows = 0;
      this.pending.clear();
    }
    return generation;
  }

  private startGenerationRead(em: EntityManager): Promise<number> {
    const read = em
      .getConnection()
      .execute<{ generation: number | string }[]>(
        'select "generation" from "catalog_state" where "id" = ?',
        [1],
      )
      .then(([row]) => Number(row?.generation ?? 0));
    this.generationRead = read;
    const settled = () => {
      if (this.generationRead === read) this.generationRead = undefined;
    };
    read.then(settled, settled);
    return read;
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
          this.trimMatchSets();
        })
        .catch(() => undefined)
        .finally(() => this.pending.delete(pendingKey));
    }
    return loading;
  }

  /**
   * Over the count, the least recently used SMALL set goes first: a flood of distinct rare queries must not push out
   * the few large sets (数据: most of the catalogue) that take hundreds of ms to rebuild. Over the row budget, the
   * least recently used set goes, whatever its size.
   */
  private trimMatchSets(): void {
    const drop = (key: string, set: MatchSet) => {
      this.matchSets.delete(key);
      this.matchRows -= set.size;
      // Its filtered lists go with it (they index into it).
      for (const filteredKey of [...this.filtered.map.keys()])
        if (filteredKey.startsWith(`${key}\u0001`)) {
          this.filteredRows -= this.filtered.map.get(filteredKey)!.positions.length;
          this.filtered.delete(filteredKey);
        }
    };
    while (this.matchRows > LIMITS.matchRows && this.matchSets.map.size > 1) {
      const [key, set] = this.matchSets.map.entries().next().value!;
      drop(key, set);
    }
    while (this.matchSets.map.size > LIMITS.matchSets) {
      let victim: [string, MatchSet] | undefined;
      for (const entry of this.matchSets.map)
        if (entry[1].size < LIMITS.largeMatchSet) {
          victim = entry;
          break;
        }
      victim ??= this.matchSets.map.entries().next().value!;
      drop(...victim);
    }
  }

  private async loadMatchSet(em: EntityManager, query: ParsedQuery): Promise<MatchSet> {
    const connection = em.getConnection();
    if (query.required.length === 0) {
      // Every live entry: the one read that also renews the facet store (dropping removed entries' slots).
      const store = await this.readAllFacets(em);
      const docIds = [...store.slots.keys()];
      return buildMatchSet(docIds, new Array<number>(docIds.length).fill(0), store);
    }
    let hits: { doc_id: number | string; score: number | string }[];
    if (sqlKindOf(em) === 'sqlite') {
      // bm25 is smaller for better matches; column weights: title 10, description 4, merchant/industry/category 2.
      hits = await connection.execute(
        `select "rowid" as "doc_id", -bm25("catalog_fts", 10.0, 4.0, 2.0) as "score"
         from "catalog_fts" where "catalog_fts" match ?`,
        [ftsQuery(query)],
      );
    } else {
      // ts_rank's weights are {D, C, B, A}: title (A) 1.0, description (B) 0.4, the rest (C) 0.2.
      hits = await connection.execute(
        `select e."doc_id", ts_rank('{0.1, 0.2, 0.4, 1.0}', e."tsv", q."query") as "score"
         from "catalog_entries" e, (select cast(? as tsquery) as "query") q
         where e."tsv" @@ q."query"`,
        [tsQuery(query)],
      );
    }
    const docIds = hits.map((h) => Number(h.doc_id));
    const store = await this.ensureFacets(em, docIds);
    return buildMatchSet(
      docIds,
      hits.map((h) => Number(h.score)),
      store,
    );
  }

  private async readAllFacets(em: EntityManager): Promise<FacetStore> {
    const rows = await em
      .getConnection()
      .execute<RawFacetRow[]>(`select ${FACET_COLUMNS} from "catalog_facets"`);
    const store = new FacetStore();
    for (const raw of rows) store.add(raw);
    this.facets = store;
    this.liveAtLastRead = store.size;
    return store;
  }

  /** Reads the facet rows this process does not have yet: all of them at once when many are missing. */
  private async ensureFacets(em: EntityManager, docIds: number[]): Promise<FacetStore> {
    const store = this.facets;
    const missing = docIds.filter((id) => !store.slots.has(id));
    if (missing.length === 0) return store;
    if (missing.length > 2000 || store.size > LIMITS.facetSlack * Math.max(this.liveAtLastRead, LIMITS.rows))
      return this.readAllFacets(em);
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await em
        .getConnection()
        .execute<RawFacetRow[]>(`select ${FACET_COLUMNS} from "catalog_facets" where "doc_id" in (?)`, [
          missing.slice(i, i + 500),
        ]);
      for (const raw of rows) store.add(raw);
    }
    return store;
  }

  private filter(
    set: MatchSet,
    query: ParsedQuery,
    filters: string,
    request: Filters,
    generation: number,
  ): Filtered {
    const key = `${query.key}\u0001${filters}`;
    const kept = this.filtered.get(key);
    if (kept !== undefined) return kept;
    const result = applyFilters(set, request);
    // Kept only while its match set is (see matchSet's eviction).
    if (generation === this.generation && this.matchSets.map.get(query.key) === set) {
      this.filtered.set(key, result);
      this.filteredRows += result.positions.length;
      this.filtered.trim(
        () => this.filtered.map.size > LIMITS.filtered || this.filteredRows > LIMITS.filteredRows,
        (dropped) => (this.filteredRows -= dropped.positions.length),
      );
    }
    return result;
  }

  /** The page entries of these doc ids, from the process's cache or one read. */
  private async entries(em: EntityManager, docIds: number[]): Promise<Map<number, PageEntry>> {
    const found = new Map<number, PageEntry>();
    const missing: number[] = [];
    for (const id of docIds) {
      const kept = this.pageEntries.get(id);
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
        const entry = pageEntry(row);
        const id = Number(row.doc_id);
        found.set(id, entry);
        this.pageEntries.set(id, entry);
      }
      this.pageEntries.trim(() => this.pageEntries.map.size > LIMITS.rows);
    }
    return found;
  }
}

function pageEntry(row: EntryRow): PageEntry {
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
