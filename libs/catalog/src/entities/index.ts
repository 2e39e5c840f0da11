import { Listing, ListingAsset } from './listing.entity.js';
import { PricingBand } from './pricing-band.entity.js';

export const CATALOG_ENTITIES = [Listing, ListingAsset, PricingBand];
export * from './listing.entity.js';
export * from './pricing-band.entity.js';
