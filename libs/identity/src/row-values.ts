// Column values as the drivers hand them back from plain SQL: SQLite keeps datetimes as epoch milliseconds,
// booleans as 0/1 and JSON as text; PostgreSQL's driver gives Dates, booleans and parsed JSON.

export type SqlDate = Date | number | string | null | undefined;

export const toMillis = (value: SqlDate): number | null =>
  value == null
    ? null
    : value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : Date.parse(value);

export const toDate = (value: SqlDate): Date | null => {
  const ms = toMillis(value);
  return ms === null ? null : new Date(ms);
};

export const fromJson = <T>(value: string | T): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;
