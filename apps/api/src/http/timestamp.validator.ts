import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A calendar date (`2020-01-31`, read as UTC midnight) or a date-time with its offset (`2020-01-31T08:00Z`,
 * `2020-01-31T08:00:00.5+08:00`; seconds and fraction optional), naming a real day and time. The offset is required:
 * without one `new Date` would read the local time of the server. Narrower than ISO 8601 on purpose: week dates (`2020-W01`) and ordinal dates
 * (`2020-031`) are valid ISO 8601 but `new Date` cannot read them, and a filter must mean what it says.
 */
const CALENDAR =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

export function isCalendarTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = CALENDAR.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > lastDay) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return !Number.isNaN(new Date(value).getTime());
}

export const IsCalendarTimestamp = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarTimestamp',
      validator: {
        validate: (value) => isCalendarTimestamp(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date (YYYY-MM-DD) or a date-time with offset (YYYY-MM-DDThh:mm[:ss]Z or ±hh:mm)`,
      },
    },
    options,
  );
