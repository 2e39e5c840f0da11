import type { EntityManager } from '@mikro-orm/sql';
import type { BlobStore } from '@app/blobs';
import type { Clock } from '@app/core';
import type { UnitOfWork } from '@app/database';
import type { DeliveryFileStore } from '@app/trading';
import { DestroyedBlob, Destruction } from '../entities/destruction.entity.js';

/**
 * Removes the bytes of an executed destruction after its commit: each `destroyed_blobs` row still without
 * `removedAt` is removed from its store (idempotent) and marked by a conditional update; once none is left the
 * destruction gets `bytesRemovedAt`. A failure leaves the rest for the next sweep, which runs this again.
 */
export class DestroyedBytes {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
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
      if (blob.store === 'blobs') await this.blobs.remove(blob.sha256);
      else await this.files.remove(blob.sha256);
      const marked = await this.uow.run((em) =>
        em.nativeUpdate(
          DestroyedBlob,
          { destructionId: id, store: blob.store, sha256: blob.sha256, removedAt: null },
          { removedAt: this.clock.now() },
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
