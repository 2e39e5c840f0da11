import type { SqlKind } from '@app/database';

/** The granularity of a time series: a day, a calendar month or a calendar year, in UTC. */
export const SUPERVISION_PERIODS = ['day', 'month', 'year'] as const;
export type SupervisionPeriod = (typeof SUPERVISION_PERIODS)[number];

/**
 * The SQL expression naming the UTC period a timestamp column falls in, the same text on both databases:
 * `2026-03-07` (day), `2026-03` (month), `2026` (year). The ORM stores a `datetime` on SQLite as integer
 * milliseconds since the epoch and on PostgreSQL as `timestamptz`; only this expression differs.
 * Precondition: `column` is a quoted column reference written by our code, never input.
 */
export function periodBucket(kind: SqlKind, column: string, period: SupervisionPeriod): string {
  if (kind === 'sqlite') {
    const format = { day: '%Y-%m-%d', month: '%Y-%m', year: '%Y' }[period];
    return `strftime('${format}', ${column} / 1000, 'unixepoch')`;
  }
  const format = { day: 'YYYY-MM-DD', month: 'YYYY-MM', year: 'YYYY' }[period];
  return `to_char(${column} at time zone 'UTC', '${format}')`;
}

/** A timestamp read by raw SQL: integer milliseconds (SQLite), a Date or an ISO string (PostgreSQL). */
export function timestampOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return null;
}

/** A count read by raw SQL: a number (SQLite) or a bigint's text (PostgreSQL). */
export const countOf = (value: unknown): number => Number(value ?? 0);
