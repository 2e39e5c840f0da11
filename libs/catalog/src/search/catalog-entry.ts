import type { BillingUnit, DataLevel, DeliveryMode, PricingMode } from '@app/compliance';

/**
 * What buyers see of a published listing: a snapshot taken when the listing is published. A published listing's
 * terms do not change while it is published (a change means withdraw, edit, review again), so the snapshot is what
 * the catalogue searches, filters and shows without reading the listing's own tables.
 */
export interface CatalogEntry {
  listingId: string;
  organisationId: string;
  merchantName: string;
  title: string;
  description: string;
  industry: string;
  level: Exclude<DataLevel, 'core'>;
  pricingMode: PricingMode;
  /** Integer fen. */
  priceFen: bigint;
  /** The guided-price category; null for the other modes. */
  pricingCategory: string | null;
  billingUnits: BillingUnit[];
  delivery: DeliveryMode;
  /** Names of the recipes a compute listing allows; empty for file delivery. */
  recipes: string[];
  minRows: number | null;
  publishedAt: Date;
}
