import { defineEntity, p } from '@mikro-orm/core';
import type {
  ComplaintCategory,
  ComplaintOutcome,
  ComplaintState,
  ComplaintSubjectKind,
} from '../core/complaint-states.js';

/** What a decision suspended, if anything. */
export interface ComplaintSuspension {
  kind: ComplaintSubjectKind;
  id: string;
}

/**
 * A complaint or report of a suspected violation (DE 26, DE 60, DS 58). The reporter (account, organisation,
 * contact) is seen by the operator and regulators only, never by the reported party; the receipt code is kept as
 * its SHA-256 only.
 */
export const ComplaintSchema = defineEntity({
  name: 'Complaint',
  tableName: 'complaints',
  properties: {
    id: p.string().primary().length(36),
    /** SHA-256 (hex) of the receipt code given once to the reporter. */
    receiptHash: p.string().length(64).unique(),
    reporterAccountId: p.string().length(36).nullable(),
    reporterOrganisationId: p.string().length(36).nullable(),
    reporterContact: p.string().length(200).nullable(),
    category: p.string().$type<ComplaintCategory>().length(32),
    subjectKind: p.string().$type<ComplaintSubjectKind>().length(16).nullable(),
    subjectId: p.string().length(36).nullable(),
    /** The organisation the complaint is about, resolved from the subject; null when none was named. */
    reportedOrganisationId: p.string().length(36).nullable(),
    statement: p.text(),
    evidenceHashes: p.json<string[]>(),
    state: p.string().$type<ComplaintState>().length(16),
    outcome: p.string().$type<ComplaintOutcome>().length(16).nullable(),
    /** What the reporter reads with the receipt code: the latest word from the handlers. */
    publicNote: p.string().length(2000).nullable(),
    decisionReason: p.string().length(2000).nullable(),
    suspension: p.json<ComplaintSuspension>().nullable(),
    handledByAccountId: p.string().length(36).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
  },
});
export class Complaint extends ComplaintSchema.class {}
ComplaintSchema.setClass(Complaint);
