import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { INCIDENT_LEVELS, type IncidentImportance, type IncidentLevel } from '@app/compliance';
import { INCIDENT_STATES, isOverdue, type IncidentState } from '../core/index.js';
import { toCsv } from '../csv.js';

/** One incident as the yearly report lists it (DS 16 last paragraph). */
export interface YearlyReportLine {
  id: string;
  title: string;
  level: IncidentLevel;
  importance: IncidentImportance;
  state: IncidentState;
  reportedAt: string;
  regulatorNotifiedAt: string | null;
  summaryDueAt: string | null;
  closedAt: string | null;
  summaryGiven: boolean;
  /** Closed with its summary after the DS 16 week. */
  late: boolean;
  /** Not closed and past the DS 16 week when the report was made. */
  overdue: boolean;
}

export interface YearlyReport {
  year: number;
  generatedAt: string;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `{ year, totals, incidents }`. */
  contentSha256: string;
  totals: {
    incidents: number;
    byLevel: Record<'1' | '2' | '3' | '4', number>;
    byState: Record<IncidentState, number>;
  };
  incidents: YearlyReportLine[];
}

/** What the report reads of an incident. */
export interface ReportedIncident {
  id: string;
  title: string;
  level: IncidentLevel;
  importance: IncidentImportance;
  state: IncidentState;
  reportedAt: Date;
  regulatorNotifiedAt?: Date | null;
  summaryDueAt?: Date | null;
  closedAt?: Date | null;
  summary?: string | null;
}

/** The UTC bounds of a calendar year: [start, end). */
export const yearBounds = (year: number): { start: Date; end: Date } => ({
  start: new Date(Date.UTC(year, 0, 1)),
  end: new Date(Date.UTC(year + 1, 0, 1)),
});

/**
 * The exchange's incident report for `year` (DS 16: 每年向数据安全主管部门报告数据安全事件处置情况): the incidents
 * reported that year, oldest first, with totals by level and state. `contentSha256` covers everything but the moment
 * it was generated, so the same incidents in the same states always give the same hash and a regulator recomputes it
 * from the JSON alone. Precondition: `incidents` are those reported within the year, oldest first.
 */
export function yearlyReport(year: number, incidents: readonly ReportedIncident[], now: Date): YearlyReport {
  const lines = incidents.map((i): YearlyReportLine => {
    const closed = i.state === 'closed';
    const due = i.summaryDueAt ?? null;
    return {
      id: i.id,
      title: i.title,
      level: i.level,
      importance: i.importance,
      state: i.state,
      reportedAt: i.reportedAt.toISOString(),
      regulatorNotifiedAt: i.regulatorNotifiedAt?.toISOString() ?? null,
      summaryDueAt: due?.toISOString() ?? null,
      closedAt: i.closedAt?.toISOString() ?? null,
      summaryGiven: (i.summary ?? null) !== null,
      late: closed && due !== null && i.closedAt != null && i.closedAt.getTime() > due.getTime(),
      overdue: isOverdue(due, closed, now),
    };
  });
  const byLevel = Object.fromEntries(INCIDENT_LEVELS.map((l) => [String(l), 0])) as Record<
    '1' | '2' | '3' | '4',
    number
  >;
  const byState = Object.fromEntries(INCIDENT_STATES.map((s) => [s, 0])) as Record<IncidentState, number>;
  for (const line of lines) {
    byLevel[String(line.level) as '1']++;
    byState[line.state]++;
  }
  const totals = { incidents: lines.length, byLevel, byState };
  return {
    year,
    generatedAt: now.toISOString(),
    contentSha256: reportHash({ year, totals, incidents: lines }),
    totals,
    incidents: lines,
  };
}

/** SHA-256 of the RFC 8785 canonical JSON of the report's content (what `contentSha256` states). */
export const reportHash = (content: Pick<YearlyReport, 'year' | 'totals' | 'incidents'>): string =>
  createHash('sha256')
    .update(
      canonicalize({ year: content.year, totals: content.totals, incidents: content.incidents })!,
      'utf8',
    )
    .digest('hex');

export const YEARLY_REPORT_CSV_COLUMNS = [
  'id',
  'title',
  'level',
  'importance',
  'state',
  'reportedAt',
  'regulatorNotifiedAt',
  'summaryDueAt',
  'closedAt',
  'summaryGiven',
  'late',
  'overdue',
] as const satisfies readonly (keyof YearlyReportLine)[];

/** The report's lines as CSV with a header row (`toCsv`: RFC 4180, formula-looking text made inert). */
export function yearlyReportCsv(report: YearlyReport): string {
  return toCsv(YEARLY_REPORT_CSV_COLUMNS, report.incidents);
}
