import type { DataLevel } from '@app/compliance';
import type { OverdueSummary } from '../incidents/incident.service.js';
import type { OverdueHolder } from '../risk-reports/risk-report.service.js';
import type { SupervisionWindow } from './supervision-window.js';

/** Funded contracts (trades) of one period, industry and level, and what the buyers paid in (integer fen). */
export interface TradeRow {
  period: string;
  industry: string;
  level: DataLevel;
  trades: number;
  volumeFen: bigint;
}

export interface TradeFigures {
  window: SupervisionWindow;
  rows: TradeRow[];
  totals: { trades: number; volumeFen: bigint };
}

export interface ListingCountRow {
  level: string;
  pricingMode: string;
  status: string;
  listings: number;
}

export interface DisputeFigures {
  window: SupervisionWindow;
  open: { count: number; frozenFen: bigint; oldestOpenedAt: Date | null };
  decided: { outcome: string; disputes: number }[];
}

export interface IncidentFigures {
  rows: { level: number; state: string; incidents: number }[];
  overdueSummaries: number;
}

export interface OverdueFigures {
  summaries: OverdueSummary[];
  riskReports: OverdueHolder[];
}

export interface SuspensionRow {
  kind: 'listing' | 'contract' | 'organisation';
  id: string;
  /** The listing's title or the organisation's name; for a contract, its listing's title. */
  name: string;
  organisationId: string | null;
  /** Why it is suspended, as the entity keeps it (null for a contract suspended before migration 017). */
  reason: string | null;
  since: Date;
}

export interface CatalogueEntry {
  organisationId: string;
  organisationName: string;
  assets: { assetId: string; title: string; level: DataLevel; registrationNumber: string | null }[];
}

export interface EpsilonRow {
  datasetId: string;
  assetId: string;
  assetTitle: string;
  releasedComputations: number;
  epsilonSpentMilli: number;
}
