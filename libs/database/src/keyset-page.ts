import { ValidationFailed } from '@app/core';

/** Where a newest-first page of rows ends: the last row's creation time and id. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/**
 * Newest-first keyset paging over (`created_at`, `id`), the same on every list route: the cursor is opaque
 * (base64url of the last row's position), a page asks for `limit + 1` rows to know whether another follows, and a
 * row inserted meanwhile never shifts a page.
 */
export const keysetPage = {
  /** The ORM filter for rows after `cursor` (none when absent). Throws 400 `invalid_cursor` on a forged one. */
  after(cursor: string | undefined): object {
    if (cursor === undefined) return {};
    const at = decodeCursor(cursor);
    return { $or: [{ createdAt: { $lt: at.createdAt } }, { createdAt: at.createdAt, id: { $lt: at.id } }] };
  },

  /** The ORM options: newest first, one row more than the page. */
  options(limit: number) {
    return { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 } as const;
  },

  /** Cuts `rows` (fetched with `options(limit)`) to the page and the cursor of the next one. */
  cut<T extends KeysetPosition>(rows: readonly T[], limit: number): { rows: T[]; next: string | null } {
    const page = rows.slice(0, limit);
    return { rows: page, next: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  },
};

const encodeCursor = (row: KeysetPosition): string =>
  Buffer.from(`${row.createdAt.getTime()}.${row.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): KeysetPosition {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new ValidationFailed('after is not a cursor this API returned', 'invalid_cursor');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
