import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import type { CatalogEntry } from './catalog-entry.js';

/**
 * Keeps the searchable catalogue in step with the listings: the listing service calls it inside the transaction
 * that publishes, suspends, reinstates or withdraws a listing, so the catalogue changes exactly when the listing does.
 * (Skeleton: the search slice fills it in.)
 */
@Injectable()
export class CatalogIndex {
  /** Precondition: `em` is inside the use case's transaction. Adds or replaces the listing's entry. */
  async publish(em: EntityManager, entry: CatalogEntry): Promise<void> {
    void em;
    void entry;
    await Promise.resolve();
  }

  /** Precondition: `em` is inside the use case's transaction. Takes the listing out of the catalogue, if it is in. */
  async remove(em: EntityManager, listingId: string): Promise<void> {
    void em;
    void listingId;
    await Promise.resolve();
  }
}
