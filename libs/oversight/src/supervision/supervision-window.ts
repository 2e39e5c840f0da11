import { ValidationFailed } from '@app/core';
import type { SupervisionPeriod } from './supervision-sql.js';

/** A half-open time window `[from, to)` cut into periods. */
export interface SupervisionWindow {
  from: Date;
  to: Date;
  period: SupervisionPeriod;
}

/** The longest window a daily series covers: a year and a day, so a chart never gets thousands of points. */
export const MAX_DAILY_SPAN_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * The window a figure covers: `from` and `to` as asked, or by default the current period and the ones before it —
 * the last 30 days by day, the last 12 months by month (the default), the last 5 years by year — up to `now`.
 * Refuses `from` after `to` and a daily series longer than `MAX_DAILY_SPAN_DAYS`.
 */
export function supervisionWindow(
  now: Date,
  ask: { from?: Date; to?: Date; period?: SupervisionPeriod },
): SupervisionWindow {
  const period = ask.period ?? 'month';
  const to = ask.to ?? now;
  const from = ask.from ?? defaultFrom(to, period);
  if (from.getTime() > to.getTime())
    throw new ValidationFailed(
      `from (${from.toISOString()}) is after to (${to.toISOString()})`,
      'window_reversed',
    );
  if (period === 'day' && to.getTime() - from.getTime() > MAX_DAILY_SPAN_DAYS * DAY_MS)
    throw new ValidationFailed(
      `a daily series covers at most ${MAX_DAILY_SPAN_DAYS} days: ask for period=month or a shorter window`,
      'window_too_long',
    );
  return { from, to, period };
}

function defaultFrom(to: Date, period: SupervisionPeriod): Date {
  const y = to.getUTCFullYear();
  const m = to.getUTCMonth();
  if (period === 'day') return new Date(Date.UTC(y, m, to.getUTCDate() - 29));
  if (period === 'month') return new Date(Date.UTC(y, m - 11, 1));
  return new Date(Date.UTC(y - 4, 0, 1));
}
