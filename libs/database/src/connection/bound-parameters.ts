import { isRaw, JsonProperty, Utils, type Platform } from '@mikro-orm/core';

/** How the database driver spells a positional parameter: `?` (better-sqlite3) or `$1`, `$2` … (pg). */
export type PlaceholderStyle = 'sqlite' | 'postgresql';

/** SQL text with placeholders only, and the values the driver binds to them. */
export interface BoundStatement {
  sql: string;
  values: unknown[];
}

/**
 * Turns MikroORM's `?`-placeholder SQL and its parameters into a statement with bound values instead of the literals
 * `platform.formatQuery` would inline. It reads the text exactly as `formatQuery` does: `??` takes an identifier
 * (quoted into the text, as identifiers cannot be bound), `\?` is a literal question mark, an array parameter
 * becomes a list of placeholders (`in (?)`), and a raw fragment parameter is spliced in with its own parameters bound.
 * Values are converted as the platform's `quoteValue` would write them, so a bound query stores what an inlined
 * one stored.
 */
export function bindParameters(
  sql: string,
  params: readonly unknown[],
  platform: Platform,
  style: PlaceholderStyle,
): BoundStatement {
  const values: unknown[] = [];
  return { sql: bindInto(sql, params, platform, style, values), values };
}

function bindInto(
  sql: string,
  params: readonly unknown[],
  platform: Platform,
  style: PlaceholderStyle,
  values: unknown[],
): string {
  if (params.length === 0) return sql;
  const value = (param: unknown): string => placeholderFor(param, platform, style, values);
  const identifier = (param: unknown): string => platform.quoteIdentifier(param as string);
  // The same scan as Platform.formatQuery, so every placeholder is read the way MikroORM meant it.
  let j = 0;
  let pos = 0;
  let out = '';
  if (sql.startsWith('?')) {
    if (sql[1] === '?') {
      out += identifier(params[j++]);
      pos = 2;
    } else {
      out += value(params[j++]);
      pos = 1;
    }
  }
  while (pos < sql.length) {
    const idx = sql.indexOf('?', pos + 1);
    if (idx === -1) {
      out += sql.substring(pos, sql.length);
      break;
    }
    if (sql.substring(idx - 1, idx + 1) === '\\?') {
      out += sql.substring(pos, idx - 1) + '?';
      pos = idx + 1;
    } else if (sql.substring(idx, idx + 2) === '??') {
      out += sql.substring(pos, idx) + identifier(params[j++]);
      pos = idx + 2;
    } else {
      out += sql.substring(pos, idx) + value(params[j++]);
      pos = idx + 1;
    }
  }
  return out;
}

function placeholderFor(
  param: unknown,
  platform: Platform,
  style: PlaceholderStyle,
  values: unknown[],
): string {
  if (isRaw(param)) return bindInto(param.sql, param.params, platform, style, values);
  if (Array.isArray(param) && !(param as { [JsonProperty]?: boolean })[JsonProperty]) {
    return param.map((item) => placeholderFor(item, platform, style, values)).join(', ');
  }
  values.push(style === 'sqlite' ? sqliteValue(param) : postgresValue(param, platform));
  return style === 'sqlite' ? '?' : `$${values.length}`;
}

function isJson(value: unknown): boolean {
  return (
    Utils.isPlainObject(value) || Boolean((value as { [JsonProperty]?: boolean } | null)?.[JsonProperty])
  );
}

/**
 * better-sqlite3 binds every JS number as REAL, so an integer would land as `5.0` in a text column where the inlined
 * literal `5` landed as `5`: integers go as bigint, which it binds as INTEGER.
 */
function sqliteValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (value instanceof Date) return sqliteValue(value.getTime());
  if (typeof value === 'string' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  if (isJson(value)) return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return (value as { toString(): string }).toString();
}

/** pg writes a Date in the process's local zone and sends bigint badly; the platform's own formats are used instead. */
function postgresValue(value: unknown, platform: Platform): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) {
    const format = (platform as unknown as { formatDate?: (date: Date) => string }).formatDate;
    return format ? format.call(platform, value) : value.toISOString();
  }
  if (Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (isJson(value)) return JSON.stringify(value);
  return (value as { toString(): string }).toString();
}
