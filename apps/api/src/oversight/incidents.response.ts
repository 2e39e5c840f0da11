import { ApiProperty } from '@nestjs/swagger';
import { INCIDENT_IMPORTANCES, INCIDENT_LEVELS, INCIDENT_SEVERITIES } from '@app/compliance';
import {
  INCIDENT_STATES,
  isOverdue,
  regulatorArticles,
  type Incident,
  type IncidentNotice,
  type YearlyReport,
} from '@app/oversight';

/** An organisation's DS 16 notification: why it was told. */
export class IncidentNoticeResponse {
  @ApiProperty({ type: String, format: 'date-time' })
  notifiedAt!: string;

  @ApiProperty({
    type: [String],
    description: 'your contracts over the affected assets’ listings (empty when told as a rights holder)',
  })
  contractIds!: string[];

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when your organisation confirmed it read the notice (POST /v1/incidents/{id}/notice/read)',
  })
  readAt!: string | null;
}

/** An organisation told of an incident, as the overseers see the notification (DS 16). */
export class IncidentNoticeReceiptResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ example: '海东市某某交通科技有限公司', description: 'its registered name' })
  organisationName!: string;

  @ApiProperty({
    type: [String],
    description: 'its contracts over the affected assets’ listings (empty for a rights holder)',
  })
  contractIds!: string[];

  @ApiProperty({ type: String, format: 'date-time' })
  notifiedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null until it confirms reading',
  })
  readAt!: string | null;
}

export class IncidentNoticeReceiptsResponse {
  @ApiProperty({ type: [IncidentNoticeReceiptResponse], description: 'by organisation id' })
  items!: IncidentNoticeReceiptResponse[];
}

/** An incident as its reporter, the parties told of it and the overseers see it. */
export class IncidentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  reportedByOrganisationId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: [String] })
  affectedAssetIds!: string[];

  @ApiProperty({ enum: INCIDENT_IMPORTANCES })
  importance!: string;

  @ApiProperty({
    enum: ['assets', 'declared'],
    description: 'assets: from the affected assets’ highest level (DS 29); declared: given by the reporter',
  })
  importanceSource!: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  businessLoss!: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  socialHarm!: string;

  @ApiProperty({ enum: INCIDENT_LEVELS, type: Number, description: '1 (一级, most severe) … 4 (四级)' })
  level!: number;

  @ApiProperty({ description: 'which table of DS 12 decided, in words' })
  levelJustification!: string;

  @ApiProperty({ description: 'what the affected parties should do to lessen the harm (DS 16)' })
  measures!: string;

  @ApiProperty({ enum: INCIDENT_STATES })
  state!: string;

  @ApiProperty({
    description: 'sent to the regulators at once (DS 15 level ≤ 3, or DS 16 important or core data)',
  })
  regulatorNotified!: boolean;

  @ApiProperty({ type: [String], description: 'the articles that sent it to the regulators: DS 15, DS 16' })
  regulatorArticles!: string[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  regulatorNotifiedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'DS 16: the closing summary is due a week after the report (important or core data only)',
  })
  summaryDueAt!: string | null;

  @ApiProperty({ description: 'not closed and past summaryDueAt' })
  overdue!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the platform flagged it',
  })
  overdueFlaggedAt!: string | null;

  @ApiProperty({ description: 'closed with its summary after summaryDueAt' })
  late!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'the closing summary report' })
  summary!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  containedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  reportedAt!: string;

  @ApiProperty({
    type: IncidentNoticeResponse,
    nullable: true,
    description: 'when your organisation was told of it as an affected party (DS 16)',
  })
  notice!: IncidentNoticeResponse | null;
}

export class IncidentPageResponse {
  @ApiProperty({ type: [IncidentResponse], description: 'newest first' })
  items!: IncidentResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

/** DS 16 as the affected party reads it: what happened, how severe, what to do, over which of its contracts. */
export class IncidentNoticeItemResponse {
  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: INCIDENT_LEVELS, type: Number })
  level!: number;

  @ApiProperty({ enum: INCIDENT_IMPORTANCES })
  importance!: string;

  @ApiProperty({ enum: INCIDENT_STATES })
  state!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: [String] })
  affectedAssetIds!: string[];

  @ApiProperty({ description: 'what to do to lessen the harm (DS 16)' })
  measures!: string;

  @ApiProperty({ type: [String] })
  contractIds!: string[];

  @ApiProperty({ type: String, format: 'date-time' })
  notifiedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when your organisation confirmed it read the notice; null until then',
  })
  readAt!: string | null;
}

export class IncidentNoticePageResponse {
  @ApiProperty({ type: [IncidentNoticeItemResponse], description: 'newest first' })
  items!: IncidentNoticeItemResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

export class YearlyReportLineResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: INCIDENT_LEVELS, type: Number })
  level!: number;

  @ApiProperty({ enum: INCIDENT_IMPORTANCES })
  importance!: string;

  @ApiProperty({ enum: INCIDENT_STATES })
  state!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  reportedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  regulatorNotifiedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  summaryDueAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty()
  summaryGiven!: boolean;

  @ApiProperty({ description: 'closed after its DS 16 week' })
  late!: boolean;

  @ApiProperty({ description: 'open and past its DS 16 week when the report was made' })
  overdue!: boolean;
}

export class IncidentLevelTotals {
  @ApiProperty({ name: '1' }) '1'!: number;
  @ApiProperty({ name: '2' }) '2'!: number;
  @ApiProperty({ name: '3' }) '3'!: number;
  @ApiProperty({ name: '4' }) '4'!: number;
}

export class IncidentStateTotals {
  @ApiProperty() reported!: number;
  @ApiProperty() acknowledged!: number;
  @ApiProperty() contained!: number;
  @ApiProperty() closed!: number;
}

export class YearlyReportTotals {
  @ApiProperty()
  incidents!: number;

  @ApiProperty({ type: IncidentLevelTotals })
  byLevel!: IncidentLevelTotals;

  @ApiProperty({ type: IncidentStateTotals })
  byState!: IncidentStateTotals;
}

/** DS 16 last paragraph: the exchange's yearly incident report for the regulators. */
export class YearlyReportResponse {
  @ApiProperty({ example: 2026 })
  year!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({
    description: 'SHA-256 (hex) of the RFC 8785 canonical JSON of { year, totals, incidents }',
    example: 'a3f1…',
  })
  contentSha256!: string;

  @ApiProperty({ type: YearlyReportTotals })
  totals!: YearlyReportTotals;

  @ApiProperty({
    type: [YearlyReportLineResponse],
    description: 'the incidents reported in the year, oldest first',
  })
  incidents!: YearlyReportLineResponse[];
}

const iso = (d: Date | null | undefined): string | null => d?.toISOString() ?? null;

export const incidentView = (i: Incident, notice: IncidentNotice | null, now: Date): IncidentResponse => {
  const closed = i.state === 'closed';
  const due = i.summaryDueAt ?? null;
  return {
    id: i.id,
    reportedByOrganisationId: i.reportedByOrganisationId,
    title: i.title,
    description: i.description,
    occurredAt: i.occurredAt.toISOString(),
    affectedAssetIds: [...i.affectedAssetIds],
    importance: i.importance,
    importanceSource: i.importanceSource,
    businessLoss: i.businessLoss,
    socialHarm: i.socialHarm,
    level: i.level,
    levelJustification: i.levelJustification,
    measures: i.measures,
    state: i.state,
    regulatorNotified: (i.regulatorNotifiedAt ?? null) !== null,
    regulatorArticles: regulatorArticles(i.level, i.importance),
    regulatorNotifiedAt: iso(i.regulatorNotifiedAt),
    summaryDueAt: iso(due),
    overdue: isOverdue(due, closed, now),
    overdueFlaggedAt: iso(i.overdueFlaggedAt),
    late: closed && due !== null && i.closedAt != null && i.closedAt.getTime() > due.getTime(),
    summary: i.summary ?? null,
    acknowledgedAt: iso(i.acknowledgedAt),
    containedAt: iso(i.containedAt),
    closedAt: iso(i.closedAt),
    reportedAt: i.reportedAt.toISOString(),
    notice: notice
      ? {
          notifiedAt: notice.notifiedAt.toISOString(),
          contractIds: [...notice.contractIds],
          readAt: iso(notice.readAt),
        }
      : null,
  };
};

export const noticeItemView = (i: Incident, n: IncidentNotice): IncidentNoticeItemResponse => ({
  incidentId: i.id,
  title: i.title,
  level: i.level,
  importance: i.importance,
  state: i.state,
  occurredAt: i.occurredAt.toISOString(),
  affectedAssetIds: [...i.affectedAssetIds],
  measures: i.measures,
  contractIds: [...n.contractIds],
  notifiedAt: n.notifiedAt.toISOString(),
  readAt: n.readAt ? n.readAt.toISOString() : null,
});

export const noticeReceiptView = (
  n: IncidentNotice,
  names: ReadonlyMap<string, string>,
): IncidentNoticeReceiptResponse => ({
  organisationId: n.organisationId,
  organisationName: names.get(n.organisationId) ?? '',
  contractIds: [...n.contractIds],
  notifiedAt: n.notifiedAt.toISOString(),
  readAt: n.readAt ? n.readAt.toISOString() : null,
});

export const yearlyReportView = (r: YearlyReport): YearlyReportResponse => ({
  year: r.year,
  generatedAt: r.generatedAt,
  contentSha256: r.contentSha256,
  totals: {
    incidents: r.totals.incidents,
    byLevel: { ...r.totals.byLevel },
    byState: { ...r.totals.byState },
  },
  incidents: r.incidents.map((line) => ({ ...line })),
});
