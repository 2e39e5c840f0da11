import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * The searchable catalogue: a snapshot of each published listing (`catalog_entries`, one row per listing, a new
 * `doc_id` each time it is published), its tokens (made by the catalogue's tokeniser, stored as they are) and a
 * full-text index over those same tokens: FTS5 on SQLite, a GIN index over a weighted tsvector on PostgreSQL;
 * `catalog_facets` is the narrow part of each entry that filters and facets read (publication time in
 * milliseconds since the epoch, billing units as a bit set: 1 one-off, 2 subscription, 4 per-computation).
 * `catalog_state.generation` changes in every transaction that changes the catalogue, so a process that caches
 * search results can tell cheaply whether they still hold.
 */
export class Migration009CatalogSearch extends PortableMigration {
  override name = '009-catalog-search';

  protected statements(d: SqlDialect): string[] {
    const docId =
      d.kind === 'sqlite'
        ? `"doc_id" integer primary key autoincrement`
        : `"doc_id" bigint generated always as identity primary key`;
    const common = [
      `create table "catalog_state" ("id" int not null primary key, "generation" bigint not null)`,
      `insert into "catalog_state" ("id", "generation") values (1, 0)`,
      `create table "catalog_entries" (${docId},
        "listing_id" varchar(36) not null unique, "organisation_id" varchar(36) not null,
        "merchant_name" text not null, "title" text not null, "description" text not null,
        "industry" text not null, "level" varchar(20) not null, "pricing_mode" varchar(30) not null,
        "price_fen" bigint not null, "pricing_category" text null,
        "bill_one_off" ${d.bool} not null, "bill_subscription" ${d.bool} not null,
        "bill_per_computation" ${d.bool} not null, "delivery" varchar(20) not null,
        "recipes" ${d.json} not null, "min_rows" int null, "published_at" ${d.timestamp} not null,
        "title_tokens" text not null, "body_tokens" text not null, "meta_tokens" text not null
        ${d.kind === 'postgresql' ? `, "tsv" tsvector not null` : ''})`,
      `create index "catalog_entries_published_index" on "catalog_entries" ("published_at", "doc_id")`,
      // A narrow copy of what filters and facets read, one row per entry: reading it whole is a few MB, where the
      // entries with their text and tokens are a hundred times that.
      `create table "catalog_facets" ("doc_id" bigint not null primary key, "published_ms" bigint not null,
        "industry" text not null, "level" varchar(20) not null, "pricing_mode" varchar(30) not null,
        "price_fen" bigint not null, "billing_units" int not null, "delivery" varchar(20) not null)`,
    ];
    if (d.kind === 'postgresql') {
      return [...common, `create index "catalog_entries_tsv_index" on "catalog_entries" using gin ("tsv")`];
    }
    // The tokens are already what the index should hold, separated by spaces; unicode61 without diacritic folding
    // takes each as it is (they contain only letters and digits). External content: the text lives once, in
    // catalog_entries, and the triggers keep the index in step with every insert and delete.
    return [
      ...common,
      `create virtual table "catalog_fts" using fts5("title_tokens", "body_tokens", "meta_tokens",
        content='catalog_entries', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 0')`,
      `create trigger "catalog_entries_fts_insert" after insert on "catalog_entries" begin
        insert into "catalog_fts" ("rowid", "title_tokens", "body_tokens", "meta_tokens")
        values (new."doc_id", new."title_tokens", new."body_tokens", new."meta_tokens"); end`,
      `create trigger "catalog_entries_fts_delete" after delete on "catalog_entries" begin
        insert into "catalog_fts" ("catalog_fts", "rowid", "title_tokens", "body_tokens", "meta_tokens")
        values ('delete', old."doc_id", old."title_tokens", old."body_tokens", old."meta_tokens"); end`,
      `create trigger "catalog_entries_no_update" before update on "catalog_entries" begin
        select raise(abort, 'catalog entries are replaced, not updated'); end`,
    ];
  }
}
