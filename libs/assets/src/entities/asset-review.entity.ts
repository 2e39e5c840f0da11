import { defineEntity, p } from '@mikro-orm/core';

export const REVIEW_SUBJECTS = [
  'registration',
  'change',
  'transfer',
  'cancellation',
  'objection',
  'security',
  'status',
] as const;
export type ReviewSubject = (typeof REVIEW_SUBJECTS)[number];

/** The review history, append-only: every decision on an asset, and every security review (DS 26). */
export const AssetReviewSchema = defineEntity({
  name: 'AssetReview',
  tableName: 'asset_reviews',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36).index(),
    requestId: p.string().length(36).nullable(),
    subject: p.string().$type<ReviewSubject>().length(16),
    decision: p.string().length(24),
    reason: p.string().length(1000),
    findings: p.json<unknown>().nullable(),
    /** For a security review: the hash of the facts it reviewed; approval needs one for the facts it approves. */
    factsHash: p.string().length(66).nullable(),
    reviewerAccountId: p.string().length(36).nullable(),
    reviewerOrganisationId: p.string().length(36).nullable(),
    ledgerIndex: p.bigint('number'),
    createdAt: p.datetime(),
  },
});

export class AssetReview extends AssetReviewSchema.class {}
AssetReviewSchema.setClass(AssetReview);
