import type { EntityManager } from '@mikro-orm/sql';
import { Conflict } from '@app/core';
import type { LedgerActor, LedgerEvent } from '@app/ledger';
import type { BatchItem } from '@app/settlement';
import {
  CONTRACT_TRANSITIONS,
  escrowAfter,
  fundingHolds,
  isMetered,
  pendingUnitHolds,
  type ContractState,
} from './core/index.js';
import { Contract } from './entities/contract.entity.js';

/** A contract a destruction ends (DS 37), with the holds still pending: each goes back to the buyer. */
export interface DestructionEnding {
  contract: Contract;
  holds: { holdId: string; amount: bigint }[];
}

const ENDABLE: readonly ContractState[] = CONTRACT_TRANSITIONS.endByDestruction.from;

/**
 * The contracts over `listingIds` a destruction ends: every one not ended yet. A disputed contract refuses the
 * destruction (409 `contract_disputed`): its escrow is frozen until the operator decides, and that decision, not
 * the destruction, says where the money goes. Read inside the executing transaction too, to compare.
 */
export async function contractsEndedByDestruction(
  em: EntityManager,
  listingIds: readonly string[],
): Promise<DestructionEnding[]> {
  if (listingIds.length === 0) return [];
  const contracts = await em.find(
    Contract,
    { listingId: { $in: [...listingIds] }, state: { $in: [...ENDABLE, 'disputed'] } },
    { orderBy: { id: 'asc' }, refresh: true },
  );
  const disputed = contracts.find((c) => c.state === 'disputed');
  if (disputed)
    throw new Conflict(
      `contract ${disputed.id} over this asset is disputed: the operator decides the dispute before its data can ` +
        'be destroyed',
      'contract_disputed',
    );
  return contracts.map((contract) => ({ contract, holds: pendingHolds(contract) }));
}

/** The holds of a contract still pending: the whole escrow while held, or a metered contract's unused units. */
function pendingHolds(c: Contract): { holdId: string; amount: bigint }[] {
  if (c.escrow !== 'held') return [];
  return isMetered(c) ? pendingUnitHolds(c) : fundingHolds(c);
}

/** The settlement batch that returns every pending hold to its buyer: one void each, keyed under `keyPrefix`. */
export function destructionVoids(keyPrefix: string, endings: readonly DestructionEnding[]): BatchItem[] {
  return endings.flatMap(({ holds }) =>
    holds.map((h): BatchItem => ({
      key: `${keyPrefix}/${h.holdId}/void`,
      op: { name: 'void', holdId: h.holdId },
    })),
  );
}

/**
 * Ends each contract by destruction (`endByDestruction`: reason `data_destroyed`), by a conditional update on the
 * state, escrow and units it was planned from; a contract that moved meanwhile refuses the whole destruction (409
 * `contracts_changed`; the caller retries). Precondition: inside the transaction that voids the holds
 * (`destructionVoids`). Returns the `contract.ended` ledger events, for the caller to record.
 */
export async function endContractsByDestruction(
  em: EntityManager,
  endings: readonly DestructionEnding[],
  context: { now: Date; actor: LedgerActor; destructionId: string; assetId: string },
): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  for (const { contract: c, holds } of endings) {
    const paidOut = c.escrow === 'released' || (isMetered(c) && c.computationsUsed > 0);
    const escrow = holds.length > 0 ? escrowAfter(paidOut, true) : c.escrow;
    const ended = await em.nativeUpdate(
      Contract,
      { id: c.id, state: c.state, escrow: c.escrow, computationsUsed: c.computationsUsed },
      {
        state: 'ended',
        endReason: 'data_destroyed',
        endDetail: `the data of asset ${context.assetId} was destroyed (DS 37)`,
        endedAt: context.now,
        updatedAt: context.now,
        escrow,
      },
    );
    if (ended === 0) throw contractsChanged();
    const returned = holds.reduce((sum, h) => sum + h.amount, 0n);
    events.push({
      actor: context.actor,
      action: CONTRACT_TRANSITIONS.endByDestruction.recorded,
      subjectIds: [c.id, c.buyerOrganisationId, c.merchantOrganisationId, context.destructionId],
      payload: {
        contractId: c.id,
        from: c.state,
        endReason: 'data_destroyed',
        destructionId: context.destructionId,
        assetId: context.assetId,
        escrow,
        returnedFen: returned.toString(),
        holds: holds.map((h) => ({ holdId: h.holdId, returnedFen: h.amount.toString() })),
      },
    });
  }
  return events;
}

/** Throws unless the contracts read in the transaction are those planned, in the same states. */
export function assertSameEndings(
  planned: readonly DestructionEnding[],
  now: readonly DestructionEnding[],
): void {
  const key = (e: DestructionEnding) =>
    `${e.contract.id}:${e.contract.state}:${e.contract.escrow}:${e.contract.computationsUsed}`;
  if (planned.map(key).join() !== now.map(key).join()) throw contractsChanged();
}

const contractsChanged = () =>
  new Conflict(
    'the contracts over the asset changed while its destruction was prepared; send the request again',
    'contracts_changed',
  );
