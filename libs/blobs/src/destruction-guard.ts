import type { EntityManager } from '@mikro-orm/sql';
import { Conflict } from '@app/core';
import { sqlKindOf } from '@app/database';
import { DatabaseBlobStore } from './database-blob-store.js';

/** The stores a DS 37 destruction removes bytes from, as `destroyed_blobs.store` names them. */
export type DestroyableStore = 'blobs' | 'delivery-files';

interface DestroyedRow {
  removing_at: unknown;
  removed_at: unknown;
  outcome: string | null;
}

/**
 * Guards a new reference to stored bytes (a dataset chunk, an evaluation, a delivery file) against a destruction
 * removing the same bytes: blobs are content-addressed, so a put of bytes a destruction took lands on the blob it
 * is about to remove.
 *
 * Precondition: runs inside the transaction that records the reference, after the bytes were put, before that
 * transaction commits. It locks the bytes' `destroyed_blobs` rows (PostgreSQL `for update`; SQLite runs one
 * transaction at a time), the lock a removal takes to re-check for references, so one of two things holds:
 * - this commits first: the removal then sees the reference and keeps the bytes;
 * - the removal began first: its removal under way is 409 `bytes_being_destroyed`, and bytes it already removed
 *   (`bytes`, the store they were put in, does not hold them now) are 409 `bytes_destroyed`. Either way nothing is
 *   recorded, and the same bytes sent again are stored afresh.
 */
export async function guardAgainstDestruction(
  em: EntityManager,
  store: DestroyableStore,
  sha256: string,
  bytes: { has(sha256: string): Promise<boolean> },
): Promise<void> {
  const rows = await em.getConnection().execute<DestroyedRow[]>(
    // In one order, so two writers of the same bytes lock its rows alike and never deadlock.
    `select "removing_at", "removed_at", "outcome" from "destroyed_blobs" where "store" = ? and "sha256" = ?
         order by "destruction_id"` + (sqlKindOf(em) === 'postgresql' ? ' for update' : ''),
    [store, sha256],
    'all',
    em.getTransactionContext(),
  );
  if (rows.some((r) => r.removing_at !== null && r.removed_at === null))
    throw new Conflict(
      `the bytes ${sha256} are being destroyed (DS 37) by a destruction of the same content; send them again in a moment`,
      'bytes_being_destroyed',
    );
  if (rows.some((r) => r.outcome === 'removed') && !(await storedNow(em, bytes, sha256)))
    throw new Conflict(
      `the bytes ${sha256} were destroyed (DS 37) while they were being stored; send them again`,
      'bytes_destroyed',
    );
}

/**
 * Whether `bytes` holds `sha256` now. Bytes in the database are read inside `em`'s transaction: SQLite runs one
 * transaction at a time, so a read on another connection would wait for this one to end.
 */
async function storedNow(
  em: EntityManager,
  bytes: { has(sha256: string): Promise<boolean> },
  sha256: string,
): Promise<boolean> {
  if (!(bytes instanceof DatabaseBlobStore)) return bytes.has(sha256);
  const rows = await em
    .getConnection()
    .execute<unknown[]>(
      'select 1 as "one" from "blobs" where "sha256" = ?',
      [sha256],
      'all',
      em.getTransactionContext(),
    );
  return rows.length > 0;
}
