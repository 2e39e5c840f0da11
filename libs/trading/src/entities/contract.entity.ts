import { defineEntity, p } from '@mikro-orm/core';
import type { DataLevel } from '@app/compliance';
import type { ContractEndReason, ContractState, EscrowState, TermsJson } from '../core/index.js';

/** A clause the contract carries, with the article that requires it (DS 35, 40, 52). */
export interface ContractClause {
  code: string;
  article: string;
  text: string;
}

/** The proceeds' shares among the rights holders, fixed when the contract forms (DE 43). */
export interface ContractShare {
  organisationId: string;
  basisPoints: number;
}

/**
 * A contract formed from the version of a negotiation that both sides accepted (DS 58: data, content, purpose,
 * method, period). The terms never change; state, escrow and the signatures move by conditional updates.
 */
export const ContractSchema = defineEntity({
  name: 'Contract',
  tableName: 'contracts',
  properties: {
    id: p.string().primary().length(36),
    negotiationId: p.string().length(36).unique(),
    version: p.integer(),
    listingId: p.string().length(36).index(),
    buyerOrganisationId: p.string().length(36).index(),
    merchantOrganisationId: p.string().length(36).index(),
    /** The listing's level when the contract formed (DS 21/29); decides the clauses. */
    level: p.string().$type<DataLevel>().length(16),
    terms: p.json<TermsJson>(),
    termsHash: p.string().length(66),
    clauses: p.json<ContractClause[]>(),
    /** Integer fen the buyer pays in all (price × computations for per-computation billing). */
    amountFen: p.bigint(),
    platformFeeBasisPoints: p.integer(),
    publicResourceFeeBasisPoints: p.integer(),
    shares: p.json<ContractShare[]>(),
    state: p.string().$type<ContractState>().length(24),
    escrow: p.string().$type<EscrowState>().length(16),
    buyerSigner: p.string().length(42).nullable(),
    buyerSignature: p.string().length(132).nullable(),
    buyerSignedAt: p.datetime().nullable(),
    merchantSigner: p.string().length(42).nullable(),
    merchantSignature: p.string().length(132).nullable(),
    merchantSignedAt: p.datetime().nullable(),
    platformSigner: p.string().length(42).nullable(),
    platformSignature: p.string().length(132).nullable(),
    countersignedAt: p.datetime().nullable(),
    /** Per-computation: results released so far (each posted one unit of escrow). */
    computationsUsed: p.integer(),
    /** The ε budget of the contract's releases (thousandths), fixed at formation, and what releases spent so far. */
    epsilonBudgetMilli: p.integer(),
    epsilonSpentMilli: p.integer(),
    fundedAt: p.datetime().nullable(),
    /** Access runs from funding to the end of the period of use. */
    endsAt: p.datetime().nullable(),
    /** When escrow is released unless the buyer confirms or disputes sooner. */
    deliveryDueAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    endReason: p.string().$type<ContractEndReason>().length(24).nullable(),
    endDetail: p.string().length(500).nullable(),
    /** Why an overseer suspended it (DS 58); null unless `suspended`. */
    suspensionReason: p.string().length(1000).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export class Contract extends ContractSchema.class {}
ContractSchema.setClass(Contract);
