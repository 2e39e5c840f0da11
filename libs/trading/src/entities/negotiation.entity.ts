import { defineEntity, p } from '@mikro-orm/core';
import type { NegotiationSide, NegotiationState, TermsChange, TermsJson } from '../core/index.js';

/**
 * A negotiation (磋商) between a buyer and the merchant of a published listing. `version` is the latest offer's
 * number; every step moves the row by a conditional update on (`state`, `version`).
 */
export const NegotiationSchema = defineEntity({
  name: 'Negotiation',
  tableName: 'negotiations',
  properties: {
    id: p.string().primary().length(36),
    listingId: p.string().length(36).index(),
    buyerOrganisationId: p.string().length(36).index(),
    merchantOrganisationId: p.string().length(36).index(),
    state: p.string().$type<NegotiationState>().length(16),
    version: p.integer(),
    /** The version both sides accepted, once they have. */
    agreedVersion: p.integer().nullable(),
    /** 'not_required' unless conditional free use: then 'pending', 'approved' or 'refused' (DE 41). */
    purposeApproval: p.string().length(16),
    contractId: p.string().length(36).nullable(),
    /** When the latest version lapses unanswered (requested and offered only); the expiry sweep reads it. */
    offerExpiresAt: p.datetime().nullable(),
    terminationReason: p.string().length(32).nullable(),
    terminationDetail: p.string().length(500).nullable(),
    terminatedBySide: p.string().length(16).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export class Negotiation extends NegotiationSchema.class {}
NegotiationSchema.setClass(Negotiation);

/** One offer: immutable (append-only in the database), with its terms hash and its diff against the one before. */
export const NegotiationVersionSchema = defineEntity({
  name: 'NegotiationVersion',
  tableName: 'negotiation_versions',
  properties: {
    negotiationId: p.string().primary().length(36),
    version: p.integer().primary(),
    side: p.string().$type<NegotiationSide>().length(16),
    authorOrganisationId: p.string().length(36),
    authorAccountId: p.string().length(36),
    terms: p.json<TermsJson>(),
    termsHash: p.string().length(66),
    changes: p.json<TermsChange[]>(),
    expiresAt: p.datetime(),
    createdAt: p.datetime(),
  },
});
export class NegotiationVersion extends NegotiationVersionSchema.class {}
NegotiationVersionSchema.setClass(NegotiationVersion);
