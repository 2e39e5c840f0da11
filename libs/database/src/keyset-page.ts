import { ValidationFailed } from '@app/core';

/** Where a newest-first page of rows ends: the last row's creation time and id. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/**
 * Newest-first keyset paging over a time column and an id column (`created_at`, `id` unless a table positions its
 * rows otherwise), the same on every list route: the cursor is opaque (base64url of the last row's position), a
 * page asks for `limit + 1` rows to know whether another follows, and a row inserted meanwhile never shifts a page.
 */
export function keysetPageOn<At extends string, Id extends string>(at: At, id: Id) {
  return {
    /** The ORM filter for rows after `cursor` (none when absent). Throws 400 `invalid_cursor` on a forged one. */
    after(cursor: string | undefined): object {
      if (cursor === undefined) return {};
      const last = decodeCursor(cursor);
      return { $or: [{ [at]: { $lt: last.createdAt } }, { [at]: last.createdAt, [id]: { $lt: last.id } }] };
    },

    /** The ORM options: newest first, one row more than the page. */
    options(limit: number) {
      return {
        orderBy: { [at]: 'desc', [id]: 'desc' } as Record<At | Id, 'desc'>,
        limit: limit + 1,
      } as const;
    },

    /** Cuts `rows` (fetched with `options(limit)`) to the page and the cursor of the next one. */
    cut<T extends Record<At, Date> & Record<Id, string>>(
      rows: readonly T[],
      limit: number,
    ): { rows: T[]; next: string | null } {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page,
        next: rows.length > limit ? encodeCursor({ createdAt: last[at], id: last[id] }) : null,
      };
    },
  };
}

/** Paging on (`createdAt`, `id`): most tables. */
export const keysetPage = keysetPageOn('createdAt', 'id');

const encodeCursor = (row: KeysetPosition): string =>
  Buffer.from(`${row.createdAt.getTime()}.${row.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): KeysetPosition {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new ValidationFailed('after is not a cursor this API returned', 'invalid_cursor');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
