import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Conflict } from '@app/core';
import { sqlKindOf } from '@app/database';
import type { RevenueSplit } from '@app/settlement';
import { Contract } from './entities/contract.entity.js';

/** What the money steps share: the split a release pays, and why a step cannot be taken now. */

/** The release of a contract's escrow: fees and the rights holders' shares fixed when the contract formed. */
export const splitOf = (c: Contract): RevenueSplit => ({
  platformFeeBasisPoints: c.platformFeeBasisPoints,
  publicResourceFeeBasisPoints: c.publicResourceFeeBasisPoints,
  shares: c.shares.map((s) => ({ organisationId: s.organisationId, basisPoints: s.basisPoints })),
});

/** A contract's state in words, for a refusal: "ended (completed)", "disputed", "active with its escrow released". */
export function describeContract(c: Contract): string {
  if (c.state === 'ended') return `ended (${c.endReason ?? 'ended'})`;
  if (c.state === 'disputed') return 'disputed: its escrow is frozen until the operator decides';
  if (c.state === 'active') return `active with its escrow ${c.escrow}`;
  return c.state.replace('_', ' ');
}

/** The refusal of a step a concurrent or earlier step made impossible, read again inside the transaction. */
export async function stepRefused(em: EntityManager, id: string, step: string, code: string): Promise<never> {
  const current = await em.findOneOrFail(Contract, { id }, { refresh: true });
  throw new Conflict(`cannot ${step}: the contract is ${describeContract(current)}`, code);
}

/**
 * The contract read under a row lock inside the caller's transaction (PostgreSQL `for update`; SQLite runs one
 * writer at a time), so what is read is what a conditional update of the same transaction replaces.
 */
export async function lockedContract(em: EntityManager, id: string): Promise<Contract | null> {
  const sqlite = sqlKindOf(em) === 'sqlite';
  return em.findOne(
    Contract,
    { id },
    { refresh: true, ...(sqlite ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE }) },
  );
}
