import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { sqlKindOf } from '@app/database';
import { Asset } from './entities/asset.entity.js';

/**
 * Reads the asset and locks its row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite serialises
 * writers). Every use case that changes an asset or decides on its requests takes this lock first, before any
 * other row and before the ledger's append lock: one order for all of them, so parallel decisions queue instead of
 * deadlocking. The conditional updates that follow stay the guarantee; the lock only fixes the order.
 * Precondition: inside a transaction.
 */
export function lockAsset(em: EntityManager, id: string): Promise<Asset | null> {
  return em.findOne(
    Asset,
    { id },
    sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
}
