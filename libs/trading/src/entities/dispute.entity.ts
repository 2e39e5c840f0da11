import { defineEntity, p } from '@mikro-orm/core';

export const DISPUTE_OUTCOMES = ['release', 'refund', 'split'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** A dispute (争议处理) over a contract: its escrow stays frozen until the operator decides. */
export const DisputeSchema = defineEntity({
  name: 'Dispute',
  tableName: 'disputes',
  properties: {
    id: p.string().primary().length(36),
    contractId: p.string().length(36).index(),
    openedByOrganisationId: p.string().length(36),
    openedBySide: p.string().length(16),
    openedByAccountId: p.string().length(36),
    statement: p.text(),
    /** 0x + 64 hex each: hashes of the evidence, which stays with the parties. */
    evidenceHashes: p.json<string[]>(),
    state: p.string().length(16),
    outcome: p.string().$type<DisputeOutcome>().length(16).nullable(),
    buyerShareBasisPoints: p.integer().nullable(),
    decisionReason: p.string().length(2000).nullable(),
    decidedByAccountId: p.string().length(36).nullable(),
    decidedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export class Dispute extends DisputeSchema.class {}
DisputeSchema.setClass(Dispute);
