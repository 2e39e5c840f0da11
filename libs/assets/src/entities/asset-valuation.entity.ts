import { defineEntity, p } from '@mikro-orm/core';

export const VALUATION_METHODS = ['cost', 'income', 'market'] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

/** A valuation report by an assessor (DE 42), append-only. */
export const AssetValuationSchema = defineEntity({
  name: 'AssetValuation',
  tableName: 'asset_valuations',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36).index(),
    assessorId: p.string().length(36),
    method: p.string().$type<ValuationMethod>().length(16),
    valueFen: p.bigint('bigint'),
    valuedOn: p.string().length(10),
    reportSha256: p.string().length(64),
    assetVersion: p.integer(),
    ledgerIndex: p.bigint('number'),
    createdAt: p.datetime(),
  },
});

export class AssetValuation extends AssetValuationSchema.class {}
AssetValuationSchema.setClass(AssetValuation);
