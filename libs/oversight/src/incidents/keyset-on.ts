import { keysetPage } from '@app/database';

/**
 * `keysetPage` over another pair of columns than (`createdAt`, `id`): incidents page on (`reportedAt`, `id`),
 * notices on (`notifiedAt`, `incidentId`). The cursor is the same opaque text, so every list route reads alike.
 */
export const keysetOn = (at: string, id: string) => ({
  /** The ORM filter for rows after `cursor`; 400 `invalid_cursor` on a forged one. */
  after(cursor: string | undefined): object {
    const filter = keysetPage.after(cursor) as {
      $or?: [{ createdAt: { $lt: Date } }, { createdAt: Date; id: { $lt: string } }];
    };
    if (!filter.$or) return {};
    const [, { createdAt, id: last }] = filter.$or;
    return { $or: [{ [at]: { $lt: createdAt } }, { [at]: createdAt, [id]: { $lt: last.$lt } }] };
  },

  options(limit: number) {
    return { orderBy: { [at]: 'desc', [id]: 'desc' }, limit: limit + 1 } as const;
  },

  cut<T>(rows: readonly T[], limit: number, position: (row: T) => { at: Date; id: string }) {
    const { rows: page, next } = keysetPage.cut(
      rows.map((row) => ({ row, createdAt: position(row).at, id: position(row).id })),
      limit,
    );
    return { rows: page.map((p) => p.row), next };
  },
});
