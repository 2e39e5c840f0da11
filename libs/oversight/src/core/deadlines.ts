/** The periods the two regulations set, in one place, each with its article. */

const DAY_MS = 24 * 60 * 60 * 1000;

/** DS 16: an incident touching important or core data is closed with a summary within a week (一周以内). */
export const INCIDENT_SUMMARY_DAYS = 7;
/** DS 63: holders of important and core data assess their risks at least once a year. */
export const RISK_REPORT_INTERVAL_DAYS = 365;
/** DS 60: risk assessment reports are kept at least three years. */
export const RISK_REPORT_RETENTION_YEARS = 3;
/** DS 41: logs are kept at least six months. */
export const LOG_RETENTION_MONTHS = 6;

/** When the closing summary of an incident reported at `reportedAt` is due (DS 16). */
export const summaryDueAt = (reportedAt: Date): Date =>
  new Date(reportedAt.getTime() + INCIDENT_SUMMARY_DAYS * DAY_MS);

/** When an organisation's next risk report is due: a year after its last, or after it first held such data. */
export const riskReportDueAt = (lastFiledOrFirstHeld: Date): Date =>
  new Date(lastFiledOrFirstHeld.getTime() + RISK_REPORT_INTERVAL_DAYS * DAY_MS);

/** The earliest moment a report filed at `filedAt` may leave the platform (DS 60): three calendar years later. */
export function retainedUntil(filedAt: Date): Date {
  const until = new Date(filedAt.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + RISK_REPORT_RETENTION_YEARS);
  return until;
}

/** Whether a deadline has passed at `now` for something not yet done. */
export const isOverdue = (dueAt: Date | null, done: boolean, now: Date): boolean =>
  dueAt !== null && !done && now.getTime() > dueAt.getTime();
