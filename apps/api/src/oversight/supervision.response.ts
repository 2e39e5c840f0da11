import { ApiProperty } from '@nestjs/swagger';
import { OverdueHolderResponse, overdueView as overdueHolderView } from './risk-reports.response.js';
import { DATA_LEVELS } from '@app/compliance';
import {
  INCIDENT_STATES,
  SUPERVISION_PERIODS,
  type OverdueHolder,
  type OverdueSummary,
} from '@app/oversight';
import type {
  CatalogueEntry,
  DisputeFigures,
  EpsilonRow,
  IncidentFigures,
  ListingCountRow,
  SuspensionRow,
  TradeFigures,
} from '@app/oversight';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export class TradeRowResponse {
  @ApiProperty({ example: '2026-03', description: 'YYYY-MM-DD, YYYY-MM or YYYY (UTC)' })
  period!: string;

  @ApiProperty({ example: '交通运输', description: 'the listing’s industry (its first asset’s)' })
  industry!: string;

  @ApiProperty({ enum: DATA_LEVELS, description: 'the contract’s level, fixed when it formed' })
  level!: string;

  @ApiProperty({ description: 'contracts funded in the period' })
  trades!: number;

  @ApiProperty({
    example: '150000',
    description: 'what the buyers paid into escrow, integer fen as a string',
  })
  volumeFen!: string;
}

export class TradeTotalsResponse {
  @ApiProperty()
  trades!: number;

  @ApiProperty({ example: '150000', description: 'integer fen as a string' })
  volumeFen!: string;
}

export class TradesResponse {
  @ApiProperty({ format: 'date-time', description: 'window start, inclusive' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'window end, exclusive' })
  to!: string;

  @ApiProperty({ enum: SUPERVISION_PERIODS })
  period!: string;

  @ApiProperty({
    type: [TradeRowResponse],
    description: 'by period, industry and level; empty cells left out',
  })
  rows!: TradeRowResponse[];

  @ApiProperty({ type: TradeTotalsResponse })
  totals!: TradeTotalsResponse;
}

export class ListingCountResponse {
  @ApiProperty({ enum: DATA_LEVELS })
  level!: string;

  @ApiProperty({ example: 'market' })
  pricingMode!: string;

  @ApiProperty({ example: 'published' })
  status!: string;

  @ApiProperty()
  listings!: number;
}

export class ListingFiguresResponse {
  @ApiProperty({ type: [ListingCountResponse] })
  rows!: ListingCountResponse[];
}

export class OpenDisputesResponse {
  @ApiProperty()
  count!: number;

  @ApiProperty({
    example: '150000',
    description: 'the escrow the open disputes freeze, integer fen as a string',
  })
  frozenFen!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  oldestOpenedAt!: string | null;
}

export class DecidedDisputesResponse {
  @ApiProperty({ enum: ['release', 'refund', 'split'] })
  outcome!: string;

  @ApiProperty()
  disputes!: number;
}

export class DisputeFiguresResponse {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: OpenDisputesResponse, description: 'open now, whenever opened' })
  open!: OpenDisputesResponse;

  @ApiProperty({ type: [DecidedDisputesResponse], description: 'decided within the window, by outcome' })
  decided!: DecidedDisputesResponse[];
}

/** The CSV form of the dispute figures: the open row, then one row per outcome. */
export interface DisputeCsvRow {
  figure: 'open' | 'decided';
  outcome: string | null;
  disputes: number;
  frozenFen: string | null;
  oldestOpenedAt: string | null;
}

export class IncidentCountResponse {
  @ApiProperty({ minimum: 1, maximum: 4, description: '1 特别重大 … 4 一般 (DS 12)' })
  level!: number;

  @ApiProperty({ enum: INCIDENT_STATES })
  state!: string;

  @ApiProperty()
  incidents!: number;
}

export class IncidentFiguresResponse {
  @ApiProperty({ type: [IncidentCountResponse] })
  rows!: IncidentCountResponse[];

  @ApiProperty({ description: 'closing summaries past due now (DS 16)' })
  overdueSummaries!: number;
}

export class OverdueSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ minimum: 1, maximum: 4 })
  level!: number;

  @ApiProperty({ format: 'date-time' })
  reportedAt!: string;

  @ApiProperty({ format: 'date-time' })
  summaryDueAt!: string;
}

export class OverdueResponse {
  @ApiProperty({ type: [OverdueSummaryResponse], description: 'incident closing summaries past due (DS 16)' })
  summaries!: OverdueSummaryResponse[];

  @ApiProperty({
    type: [OverdueHolderResponse],
    description: 'holders whose yearly risk report is past due (DS 63)',
  })
  riskReports!: OverdueHolderResponse[];
}

/** The CSV form of the overdue lists: one row per item, `kind` telling which list. */
export interface OverdueCsvRow {
  kind: 'summary' | 'riskReport';
  organisationId: string;
  organisationName: string | null;
  incidentId: string | null;
  title: string | null;
  level: number | null;
  reportedAt: string | null;
  lastFiledAt: string | null;
  dueAt: string;
  importantAssets: number | null;
}

export class SuspensionResponse {
  @ApiProperty({ enum: ['listing', 'contract', 'organisation'] })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'the listing’s title (a contract: its listing’s), or the organisation’s name' })
  name!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the listing’s merchant, the contract’s merchant, or the organisation itself',
  })
  organisationId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why it was suspended, as the listing, organisation or contract keeps it',
  })
  reason!: string | null;

  @ApiProperty({ format: 'date-time', description: 'when it was suspended (its last change)' })
  since!: string;
}

export class SuspensionsResponse {
  @ApiProperty({
    type: [SuspensionResponse],
    description: 'listings, then contracts, then organisations; latest first',
  })
  items!: SuspensionResponse[];
}

export class CatalogueAssetResponse {
  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['important', 'core'] })
  level!: string;

  @ApiProperty({ type: String, nullable: true })
  registrationNumber!: string | null;
}

export class CatalogueOrganisationResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty()
  organisationName!: string;

  @ApiProperty({ type: [CatalogueAssetResponse] })
  assets!: CatalogueAssetResponse[];
}

export class ImportantDataResponse {
  @ApiProperty({ type: [CatalogueOrganisationResponse], description: 'by organisation name' })
  organisations!: CatalogueOrganisationResponse[];
}

export interface CatalogueCsvRow extends CatalogueAssetResponse {
  organisationId: string;
  organisationName: string;
}

export class EpsilonRowResponse {
  @ApiProperty({ format: 'uuid' })
  datasetId!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty()
  assetTitle!: string;

  @ApiProperty()
  releasedComputations!: number;

  @ApiProperty({ description: 'ε spent by the released computations, in thousandths' })
  epsilonSpentMilli!: number;
}

export class EpsilonResponse {
  @ApiProperty({ type: [EpsilonRowResponse], description: 'most spent first' })
  rows!: EpsilonRowResponse[];
}

export const tradesView = (f: TradeFigures): TradesResponse => ({
  from: f.window.from.toISOString(),
  to: f.window.to.toISOString(),
  period: f.window.period,
  rows: f.rows.map((r) => ({ ...r, volumeFen: r.volumeFen.toString() })),
  totals: { trades: f.totals.trades, volumeFen: f.totals.volumeFen.toString() },
});

export const listingsView = (rows: ListingCountRow[]): ListingFiguresResponse => ({
  rows: rows.map((r) => ({ ...r })),
});

export const disputesView = (f: DisputeFigures): DisputeFiguresResponse => ({
  from: f.window.from.toISOString(),
  to: f.window.to.toISOString(),
  open: {
    count: f.open.count,
    frozenFen: f.open.frozenFen.toString(),
    oldestOpenedAt: iso(f.open.oldestOpenedAt),
  },
  decided: f.decided.map((d) => ({ ...d })),
});

export const disputeCsvRows = (v: DisputeFiguresResponse): DisputeCsvRow[] => [
  {
    figure: 'open',
    outcome: null,
    disputes: v.open.count,
    frozenFen: v.open.frozenFen,
    oldestOpenedAt: v.open.oldestOpenedAt,
  },
  ...v.decided.map((d) => ({
    figure: 'decided' as const,
    outcome: d.outcome,
    disputes: d.disputes,
    frozenFen: null,
    oldestOpenedAt: null,
  })),
];

export const incidentsView = (f: IncidentFigures): IncidentFiguresResponse => ({
  rows: f.rows.map((r) => ({ ...r })),
  overdueSummaries: f.overdueSummaries,
});

const summaryView = (s: OverdueSummary): OverdueSummaryResponse => ({
  incidentId: s.incidentId,
  organisationId: s.organisationId,
  title: s.title,
  level: s.level,
  reportedAt: s.reportedAt.toISOString(),
  summaryDueAt: s.summaryDueAt.toISOString(),
});

export const overdueView = (f: {
  summaries: OverdueSummary[];
  riskReports: OverdueHolder[];
}): OverdueResponse => ({
  summaries: f.summaries.map(summaryView),
  riskReports: f.riskReports.map(overdueHolderView),
});

export const overdueCsvRows = (v: OverdueResponse): OverdueCsvRow[] => [
  ...v.summaries.map((s) => ({
    kind: 'summary' as const,
    organisationId: s.organisationId,
    organisationName: null,
    incidentId: s.incidentId,
    title: s.title,
    level: s.level,
    reportedAt: s.reportedAt,
    lastFiledAt: null,
    dueAt: s.summaryDueAt,
    importantAssets: null,
  })),
  ...v.riskReports.map((h) => ({
    kind: 'riskReport' as const,
    organisationId: h.organisationId,
    organisationName: h.organisationName,
    incidentId: null,
    title: null,
    level: null,
    reportedAt: null,
    lastFiledAt: h.lastFiledAt,
    dueAt: h.dueAt,
    importantAssets: h.importantAssets,
  })),
];

export const suspensionsView = (rows: SuspensionRow[]): SuspensionsResponse => ({
  items: rows.map((r) => ({ ...r, since: r.since.toISOString() })),
});

export const importantDataView = (entries: CatalogueEntry[]): ImportantDataResponse => ({
  organisations: entries.map((e) => ({
    organisationId: e.organisationId,
    organisationName: e.organisationName,
    assets: e.assets.map((a) => ({ ...a })),
  })),
});

export const catalogueCsvRows = (v: ImportantDataResponse): CatalogueCsvRow[] =>
  v.organisations.flatMap((o) =>
    o.assets.map((a) => ({ organisationId: o.organisationId, organisationName: o.organisationName, ...a })),
  );

export const epsilonView = (rows: EpsilonRow[]): EpsilonResponse => ({ rows: rows.map((r) => ({ ...r })) });
