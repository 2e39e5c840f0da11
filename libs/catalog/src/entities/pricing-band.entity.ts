import { defineEntity, p } from '@mikro-orm/core';

/**
 * A band the regulator published for one data category (DE 41) with the public-resource fee rate (DE 36). Bands are
 * never changed: a new band for a category supersedes the current one (which keeps its row, with the time it was
 * superseded), so every listing can still name the band it was approved under.
 */
export const PricingBandSchema = defineEntity({
  name: 'PricingBand',
  tableName: 'pricing_bands',
  properties: {
    id: p.string().primary().length(36),
    category: p.string().length(100),
    /** 1 for a category's first band; (category, version) is unique, so of two parallel publications one wins. */
    version: p.integer(),
    minFen: p.bigint(),
    maxFen: p.bigint(),
    publicResourceFeeBasisPoints: p.integer(),
    publishedByOrganisationId: p.string().length(36),
    publishedAt: p.datetime(),
    supersededAt: p.datetime().nullable(),
  },
});

export class PricingBand extends PricingBandSchema.class {}
PricingBandSchema.setClass(PricingBand);
