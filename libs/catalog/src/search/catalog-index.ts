import { Injectable } from '@nestjs/common';
import type { Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { CatalogEntry } from './catalog-entry.js';
import { entryTokens, tsvectorLiteral } from './catalog-documents.js';
import { sqlKindOf } from '@app/database';

/**
 * Keeps the searchable catalogue in step with the listings: the listing service calls it inside the transaction
 * that publishes, suspends, reinstates or withdraws a listing, so the catalogue changes exactly when the listing does.
 * Every change also moves `catalog_state.generation` on, in the same transaction: a search that has cached results
 * reads the generation first and drops them once it has moved, so a publication or suspension shows at once on
 * every API process.
 */
@Injectable()
export class CatalogIndex {
  /**
   * Precondition: `em` is inside the use case's transaction. Adds or replaces the listing's entry (a replaced entry
   * gets a new `doc_id`: an entry's row never changes once written).
   */
  async publish(em: EntityManager, entry: CatalogEntry): Promise<void> {
    const dialect = sqlKindOf(em);
    const tokens = entryTokens(entry);
    const bool = (on: boolean) => (dialect === 'sqlite' ? (on ? 1 : 0) : on);
    const units = new Set(entry.billingUnits);
    await this.removeEntry(em, entry.listingId);
    await this.run(
      em,
      `insert into "catalog_entries" ("listing_id", "organisation_id", "merchant_name", "title", "description",
        "industry", "level", "pricing_mode", "price_fen", "pricing_category", "bill_one_off", "bill_subscription",
        "bill_per_computation", "delivery", "recipes", "min_rows", "published_at", "title_tokens", "body_tokens",
        "meta_tokens"${dialect === 'postgresql' ? ', "tsv"' : ''})
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${dialect === 'postgresql' ? ', cast(? as tsvector)' : ''})`,
      [
        entry.listingId,
        entry.organisationId,
        entry.merchantName,
        entry.title,
        entry.description,
        entry.industry,
        entry.level,
        entry.pricingMode,
        entry.priceFen.toString(),
        entry.pricingCategory,
        bool(units.has('one-off')),
        bool(units.has('subscription')),
        bool(units.has('per-computation')),
        entry.delivery,
        JSON.stringify(entry.recipes),
        entry.minRows,
        dialect === 'sqlite' ? entry.publishedAt.toISOString() : entry.publishedAt,
        tokens.title.join(' '),
        tokens.body.join(' '),
        tokens.meta.join(' '),
        ...(dialect === 'postgresql' ? [tsvectorLiteral(tokens)] : []),
      ],
    );
    await this.run(
      em,
      `insert into "catalog_facets" ("doc_id", "published_ms", "industry", "level", "pricing_mode", "price_fen",
        "billing_units", "delivery")
       select "doc_id", cast(? as bigint), "industry", "level", "pricing_mode", "price_fen", cast(? as int), "delivery"
       from "catalog_entries" where "listing_id" = ?`,
      [
        entry.publishedAt.getTime(),
        (units.has('one-off') ? 1 : 0) |
          (units.has('subscription') ? 2 : 0) |
          (units.has('per-computation') ? 4 : 0),
        entry.listingId,
      ],
    );
    await this.bump(em);
  }

  /** Precondition: `em` is inside the use case's transaction. Takes the listing out of the catalogue, if it is in. */
  async remove(em: EntityManager, listingId: string): Promise<void> {
    await this.removeEntry(em, listingId);
    await this.bump(em);
  }

  private async removeEntry(em: EntityManager, listingId: string): Promise<void> {
    await this.run(
      em,
      `delete from "catalog_facets" where "doc_id" in
        (select "doc_id" from "catalog_entries" where "listing_id" = ?)`,
      [listingId],
    );
    await this.run(em, 'delete from "catalog_entries" where "listing_id" = ?', [listingId]);
  }

  /** An increment in the database, not a read and a write: concurrent publications each move it on. */
  private async bump(em: EntityManager): Promise<void> {
    await this.run(em, 'update "catalog_state" set "generation" = "generation" + 1 where "id" = ?', [1]);
  }

  private async run(em: EntityManager, sql: string, params: unknown[]): Promise<void> {
    await em.getConnection().execute(sql, params, 'run', em.getTransactionContext<Transaction>());
  }
}
