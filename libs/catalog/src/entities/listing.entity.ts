import { defineEntity, p } from '@mikro-orm/core';
import type {
  BillingUnit,
  DataKind,
  DataLevel,
  DeliveryMode,
  OpenAttribute,
  PricingMode,
} from '@app/compliance';

export const LISTING_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'rejected',
  'published',
  'suspended',
  'withdrawn',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/** A recipe a compute listing allows and the columns it may touch. */
export interface ListingRecipe {
  recipe: string;
  columns: string[];
}

/**
 * A product a merchant offers, built from registered assets. Its level and open attribute are derived from the
 * assets (DS 29, DE 31) when it is made and checked again at submission, review, publication and reinstatement.
 */
export const ListingSchema = defineEntity({
  name: 'Listing',
  tableName: 'listings',
  properties: {
    id: p.string().primary().length(36),
    organisationId: p.string().length(36).index(),
    title: p.string().length(200),
    description: p.text(),
    industry: p.string().length(100),
    level: p.string().$type<DataLevel>().length(16),
    openAttribute: p.string().$type<OpenAttribute>().length(16),
    dataKinds: p.json<DataKind[]>(),
    pricingMode: p.string().$type<PricingMode>().length(24),
    /** Integer fen. */
    priceFen: p.bigint(),
    pricingCategory: p.string().length(100).nullable(),
    /** The band the guided price was last checked against (at creation, then at approval); kept once approved. */
    pricingBandId: p.string().length(36).nullable(),
    billingUnits: p.json<BillingUnit[]>(),
    subscriptionDays: p.integer().nullable(),
    delivery: p.string().$type<DeliveryMode>().length(16),
    recipes: p.json<ListingRecipe[]>(),
    minRows: p.integer().nullable(),
    /** Differential privacy of compute listings, in thousandths of ε: each contract's budget and one release's cost. */
    epsilonBudgetMilli: p.integer().nullable(),
    epsilonPerReleaseMilli: p.integer().nullable(),
    status: p.string().$type<ListingStatus>().length(16),
    statusReason: p.string().length(500).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    publishedAt: p.datetime().nullable(),
  },
});

export class Listing extends ListingSchema.class {}
ListingSchema.setClass(Listing);

/** Which assets a listing is built from: the asset side is indexed, so an asset's withdrawal finds its listings. */
export const ListingAssetSchema = defineEntity({
  name: 'ListingAsset',
  tableName: 'listing_assets',
  properties: {
    listingId: p.string().primary().length(36),
    assetId: p.string().primary().length(36).index(),
    /** The order the merchant named the assets in. */
    position: p.integer(),
  },
});

export class ListingAsset extends ListingAssetSchema.class {}
ListingAssetSchema.setClass(ListingAsset);
