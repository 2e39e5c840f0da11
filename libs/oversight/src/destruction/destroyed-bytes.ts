import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { BlobStore } from '@app/blobs';
import type { Clock } from '@app/core';
import { sqlKindOf, type UnitOfWork } from '@app/database';
import { SYSTEM_ACTOR, type LedgerRecorder } from '@app/ledger';
import type { DeliveryFileStore } from '@app/trading';
import { DestroyedBlob, Destruction } from '../entities/destruction.entity.js';
import { stillUsed } from './destruction-inventory.js';

/**
 * Removes the bytes of an executed destruction after its commit, blob by blob, in three steps:
 * 1. under the blob's row lock (the one `guardAgainstDestruction` takes before a new reference is recorded), it
 *    checks again that no record uses the bytes: one recorded since the execution keeps them (`outcome` `kept`,
 *    and `destruction.bytesKept` on the ledger); otherwise the row is marked `removingAt`, and from then on a new
 *    reference to the bytes is refused;
 * 2. the bytes are removed from their store (idempotent), holding no transaction;
 * 3. the row gets `removedAt` with `outcome` `removed`, by a conditional update.
 * Once no row is left the destruction gets `bytesRemovedAt`. A failure leaves the rest for the next sweep, which runs
 * this again and resumes each blob where it stopped.
 */
export class DestroyedBytes {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly ledger: LedgerRecorder,
    private readonly blobs: BlobStore,
    private readonly files: DeliveryFileStore,
  ) {}

  /** Removes what is left of destruction `id`; returns how many blobs this call removed. */
  async remove(id: string): Promise<number> {
    const pending = await this.uow.read((em) =>
      em.find(
        DestroyedBlob,
        { destructionId: id, removedAt: null },
        { orderBy: { store: 'asc', sha256: 'asc' } },
      ),
    );
    let removed = 0;
    for (const blob of pending) {
      if (!(await this.claim(blob))) continue;
      if (blob.store === 'blobs') await this.blobs.remove(blob.sha256);
      else await this.files.remove(blob.sha256);
      const marked = await this.uow.run((em) =>
        em.nativeUpdate(
          DestroyedBlob,
          { destructionId: id, store: blob.store, sha256: blob.sha256, removedAt: null },
          { removedAt: this.clock.now(), outcome: 'removed' },
        ),
      );
      removed += marked;
    }
    await this.uow.run(async (em: EntityManager) => {
      const left = await em.count(DestroyedBlob, { destructionId: id, removedAt: null });
      if (left > 0) return;
      await em.nativeUpdate(
        Destruction,
        { id, state: 'executed', bytesRemovedAt: null },
        { bytesRemovedAt: this.clock.now() },
      );
    });
    return removed;
  }

  /**
   * Step 1 for one blob: true when its bytes are to be removed now (marked `removingAt`, or marked so by an earlier
   * run that did not finish); false when it is settled already or kept because a record stored the bytes again.
   */
  private claim(blob: DestroyedBlob): Promise<boolean> {
    return this.uow.run(async (em) => {
      const key = { destructionId: blob.destructionId, store: blob.store, sha256: blob.sha256 };
      const row = await em.findOne(
        DestroyedBlob,
        { ...key, removedAt: null },
        { refresh: true, ...(sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE }) },
      );
      if (!row) return false;
      if (row.removingAt !== null) return true;
      const now = this.clock.now();
      const destruction = await em.findOneOrFail(Destruction, { id: blob.destructionId });
      if (await stillUsed(em, blob, destruction.inventory!, destruction.assetId)) {
        await em.nativeUpdate(DestroyedBlob, key, { removedAt: now, outcome: 'kept' });
        await this.ledger.record(em, [
          {
            actor: SYSTEM_ACTOR,
            action: 'destruction.bytesKept',
            subjectIds: [destruction.id, destruction.assetId, destruction.organisationId],
            payload: {
              destructionId: destruction.id,
              assetId: destruction.assetId,
              store: blob.store,
              sha256: blob.sha256,
              reason: 'a record stored the same bytes again after the execution and still uses them',
            },
          },
        ]);
        return false;
      }
      await em.nativeUpdate(DestroyedBlob, key, { removingAt: now });
      return true;
    });
  }

  /** The executed destructions whose bytes are not all removed yet (a crash between the commit and the removal). */
  unfinished(): Promise<string[]> {
    return this.uow.read(async (em) =>
      (
        await em.find(
          Destruction,
          { state: 'executed', bytesRemovedAt: null },
          { fields: ['id'], orderBy: { executedAt: 'asc', id: 'asc' } },
        )
      ).map((d) => d.id),
    );
  }
}
