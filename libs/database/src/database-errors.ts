import { ConnectionException } from '@mikro-orm/core';

// PostgreSQL SQLSTATE classes and codes that say the server cannot serve now, not that the request was wrong:
// 08 connection exception, 53 insufficient resources (disk full, out of memory, too many connections),
// 57P01–57P05 shut down or restarting, 58 system / I/O error.
const POSTGRES_UNAVAILABLE = /^(08|53|57P0[1-5]|58)/;
// SQLite result codes for a full disk, an I/O failure, a lock held past the busy timeout, an unopenable file.
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM|READONLY|PROTOCOL)/;
const NETWORK_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOSPC',
  'EIO',
]);
// pg reports a lost or unobtainable connection by message only.
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'not queryable',
  'timeout exceeded when trying to connect',
  'Connection ended',
];

/**
 * Whether `error` means the database is unreachable or cannot store anything right now (server down, connection
 * lost, disk full, lock timeout) rather than that the request was at fault: the API answers such errors with 503,
 * and a rollback that fails for this reason has nothing left to roll back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof ConnectionException) return true;
    const { code, message, cause, previous, errors } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      previous?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') {
      if (NETWORK_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_UNAVAILABLE.test(code)) return true;
    }
    if (typeof message === 'string' && PG_CONNECTION_MESSAGES.some((text) => message.includes(text)))
      return true;
    queue.push(cause, previous, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return false;
}
