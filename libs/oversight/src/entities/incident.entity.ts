import { defineEntity, p } from '@mikro-orm/core';
import type { IncidentImportance, IncidentLevel, IncidentSeverity } from '@app/compliance';
import type { IncidentState } from '../core/incident-states.js';

/** A data security incident (DS 12, 15, 16, 18); see `core/incident-states.ts` for its life. */
export const IncidentSchema = defineEntity({
  name: 'Incident',
  tableName: 'incidents',
  properties: {
    id: p.string().primary().length(36),
    reportedByOrganisationId: p.string().length(36),
    reportedByAccountId: p.string().length(36),
    title: p.string().length(200),
    description: p.text(),
    occurredAt: p.datetime(),
    /** The registered assets the incident touched (ids); may be empty when the importance is given. */
    affectedAssetIds: p.json<string[]>(),
    importance: p.string().$type<IncidentImportance>().length(24),
    /** `assets`: the highest level of the affected assets (DS 29); `declared`: given by the reporter. */
    importanceSource: p.string().$type<'assets' | 'declared'>().length(16),
    businessLoss: p.string().$type<IncidentSeverity>().length(24),
    socialHarm: p.string().$type<IncidentSeverity>().length(24),
    level: p.integer().$type<IncidentLevel>(),
    /** The grading's sentence (which table decided, DS 12). */
    levelJustification: p.string().length(1000),
    /** What the affected parties should do to lessen the harm (DS 16: 提供减轻危害措施). */
    measures: p.text(),
    state: p.string().$type<IncidentState>().length(16),
    /** Set at filing when DS 15 (level ≤ 3) or DS 16 (important or core data) sends it to the regulators at once. */
    regulatorNotifiedAt: p.datetime().nullable(),
    /** DS 16: reported-at plus seven days, for incidents touching important or core data; else null. */
    summaryDueAt: p.datetime().nullable(),
    /** When the platform flagged the summary overdue (once, by the sweep); null while on time or not due. */
    overdueFlaggedAt: p.datetime().nullable(),
    summary: p.text().nullable(),
    acknowledgedByAccountId: p.string().length(36).nullable(),
    acknowledgedAt: p.datetime().nullable(),
    containedAt: p.datetime().nullable(),
    closedByAccountId: p.string().length(36).nullable(),
    closedAt: p.datetime().nullable(),
    reportedAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export class Incident extends IncidentSchema.class {}
IncidentSchema.setClass(Incident);

/**
 * DS 16 (告知用户): an organisation told of an incident because it is a party to a contract over an affected asset
 * (or holds a right in it). One row per incident and organisation.
 */
export const IncidentNoticeSchema = defineEntity({
  name: 'IncidentNotice',
  tableName: 'incident_notices',
  properties: {
    incidentId: p.string().primary().length(36),
    organisationId: p.string().primary().length(36),
    /** The contracts (ids) that made it an affected party; empty for a rights holder without one. */
    contractIds: p.json<string[]>(),
    notifiedAt: p.datetime(),
    readAt: p.datetime().nullable(),
  },
});
export class IncidentNotice extends IncidentNoticeSchema.class {}
IncidentNoticeSchema.setClass(IncidentNotice);
