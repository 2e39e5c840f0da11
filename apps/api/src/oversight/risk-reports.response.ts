import { ApiProperty } from '@nestjs/swagger';
import {
  ASSESSOR_KINDS,
  RISK_EFFECTIVENESS,
  type FiledRiskReport,
  type OverdueHolder,
  type RiskReport,
  type RiskReportDraft,
} from '@app/oversight';

export class ImportantDataLineResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assetId!: string | null;

  @ApiProperty()
  category!: string;

  @ApiProperty({ enum: ['important', 'core'] })
  level!: string;

  @ApiProperty()
  amount!: string;
}

export class RiskLineResponse {
  @ApiProperty()
  risk!: string;

  @ApiProperty()
  measure!: string;

  @ApiProperty({ enum: RISK_EFFECTIVENESS })
  effectiveness!: string;
}

/** A filed report as its holder and the overseers read it. */
export class RiskReportResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ format: 'uuid' })
  filedByAccountId!: string;

  @ApiProperty({ description: 'the year assessed' })
  periodYear!: number;

  @ApiProperty({ enum: ASSESSOR_KINDS })
  assessorKind!: string;

  @ApiProperty({ type: String, nullable: true })
  assessorName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  assessorCreditCode!: string | null;

  @ApiProperty({ type: [ImportantDataLineResponse] })
  importantData!: ImportantDataLineResponse[];

  @ApiProperty()
  processingActivities!: string;

  @ApiProperty({ type: [RiskLineResponse] })
  risks!: RiskLineResponse[];

  @ApiProperty()
  conclusion!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the report this one corrects' })
  supersedesId!: string | null;

  @ApiProperty({ description: 'SHA-256 (hex) of the content’s RFC 8785 canonical JSON, as on the ledger' })
  contentSha256!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  filedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'DS 60: kept at least until then (three years); the exchange never deletes a report',
  })
  retainUntil!: string;
}

export class RiskReportDetailResponse extends RiskReportResponse {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the later report that replaced this one, if any',
  })
  supersededBy!: string | null;
}

export class FiledRiskReportResponse extends RiskReportResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'DS 65: set when a core-data holder assessed itself (accepted; a third party is preferred)',
  })
  advice!: string | null;
}

export class RiskReportPageResponse {
  @ApiProperty({ type: [RiskReportResponse], description: 'newest first' })
  items!: RiskReportResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

export class RiskReportDraftResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ description: 'this year' })
  periodYear!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the next report is due (DS 63: yearly); null when no important or core data is held',
  })
  dueAt!: string | null;

  @ApiProperty({ type: [ImportantDataLineResponse], description: 'one line per catalogued asset (DS 22)' })
  importantData!: ImportantDataLineResponse[];

  @ApiProperty({ enum: ASSESSOR_KINDS, nullable: true, description: 'yours to choose' })
  assessorKind!: string | null;

  @ApiProperty({ type: String, nullable: true })
  assessorName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  assessorCreditCode!: string | null;

  @ApiProperty({ description: 'empty: yours to write' })
  processingActivities!: string;

  @ApiProperty({ type: [RiskLineResponse], description: 'empty: yours to write' })
  risks!: RiskLineResponse[];

  @ApiProperty({ description: 'empty: yours to write' })
  conclusion!: string;

  @ApiProperty({ type: String, nullable: true, description: 'why no report is required, when none is' })
  note!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'DS 65 advice for core-data holders' })
  advice!: string | null;
}

export class OverdueHolderResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty()
  organisationName!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never filed' })
  lastFiledAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: string;

  @ApiProperty({ description: 'important and core assets in its catalogue (DS 22)' })
  importantAssets!: number;
}

export class OverdueHolderListResponse {
  @ApiProperty({ type: [OverdueHolderResponse], description: 'most overdue first' })
  items!: OverdueHolderResponse[];
}

export const riskReportView = (r: RiskReport): RiskReportResponse => ({
  id: r.id,
  organisationId: r.organisationId,
  filedByAccountId: r.filedByAccountId,
  periodYear: r.periodYear,
  assessorKind: r.assessorKind,
  assessorName: r.assessorName ?? null,
  assessorCreditCode: r.assessorCreditCode ?? null,
  importantData: r.importantData.map((l) => ({
    assetId: l.assetId,
    category: l.category,
    level: l.level,
    amount: l.amount,
  })),
  processingActivities: r.processingActivities,
  risks: r.risks.map((x) => ({ risk: x.risk, measure: x.measure, effectiveness: x.effectiveness })),
  conclusion: r.conclusion,
  supersedesId: r.supersedesId ?? null,
  contentSha256: r.contentSha256,
  filedAt: r.filedAt.toISOString(),
  retainUntil: r.retainUntil.toISOString(),
});

export const filedRiskReportView = (f: FiledRiskReport): FiledRiskReportResponse => ({
  ...riskReportView(f.report),
  advice: f.advice,
});

export const draftView = (d: RiskReportDraft): RiskReportDraftResponse => ({
  organisationId: d.organisationId,
  periodYear: d.periodYear,
  dueAt: d.dueAt?.toISOString() ?? null,
  importantData: d.importantData.map((l) => ({ ...l })),
  assessorKind: null,
  assessorName: null,
  assessorCreditCode: null,
  processingActivities: '',
  risks: [],
  conclusion: '',
  note: d.note,
  advice: d.advice,
});

export const overdueView = (h: OverdueHolder): OverdueHolderResponse => ({
  organisationId: h.organisationId,
  organisationName: h.organisationName,
  lastFiledAt: h.lastFiledAt?.toISOString() ?? null,
  dueAt: h.dueAt.toISOString(),
  importantAssets: h.importantAssets,
});
