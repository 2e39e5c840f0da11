import { Inject, Injectable, Logger } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Asset, catalogueState, ImportantDataCatalogue, type AssetStatus } from '@app/assets';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { CatalogIndex, Listing, type ListingStatus } from '@app/catalog';
import { Computation } from '@app/compute';
import { Clock, Conflict, NotFound, ValidationFailed, newId } from '@app/core';
import { UnitOfWork, keysetPage, type Transaction } from '@app/database';
import { Dataset } from '@app/datasets';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder, type JsonValue, type LedgerActor, type LedgerEvent } from '@app/ledger';
import { SettlementService } from '@app/settlement';
import {
  assertSameEndings,
  contractsEndedByDestruction,
  DeliveryFileStore,
  destructionVoids,
  endContractsByDestruction,
  type DestructionEnding,
} from '@app/trading';
import { DESTRUCTION_TRANSITIONS, type DestructionState } from '../core/destruction-states.js';
import { DestroyedBlob, Destruction, type DestroyedInventory } from '../entities/destruction.entity.js';
import { DestroyedBytes } from './destroyed-bytes.js';
import { gather, listingIdsOf } from './destruction-inventory.js';

export const MAX_REASON_LENGTH = 2000;

/** The asset statuses whose data may be destroyed: it was registered (a draft has no data on the platform). */
const DESTROYABLE: readonly AssetStatus[] = ['registered', 'suspended', 'cancelled'];
/** Listings a destruction withdraws: every one not closed already. */
const OPEN_LISTINGS: readonly ListingStatus[] = ['draft', 'submitted', 'approved', 'published', 'suspended'];
const PENDING_COMPUTATIONS = ['queued', 'running', 'evaluated'] as const;

export interface NewDestruction {
  assetId: string;
  reason: string;
}

export interface DestructionDecision {
  decision: 'approve' | 'refuse';
  reason: string;
}

/** What the execution read before its transaction: the listings on the asset and the contracts it ends. */
interface Plan {
  listingIds: string[];
  endings: DestructionEnding[];
}

/** The registrant, or a holder of the asset's holding right (持有权): who may ask to destroy its data. */
const ownsAsset = (p: Principal, a: Asset): boolean =>
  a.registrantId === p.organisationId ||
  a.rights.some((r) => r.right === 'holding' && r.organisationId === p.organisationId);

/**
 * Destruction of an asset's data held by the platform (DS 37). The registrant (or a holder of the holding right)
 * asks with a reason; general data is destroyed at once, important and core data once a regulator approves
 * (事前申请审核). Execution is one transaction: the destruction, the asset `destroyed` (out of the DS 22
 * catalogue), its listings withdrawn, its datasets destroyed, pending computations refused `data_destroyed`, the
 * contracts over its listings ended `data_destroyed` with every pending hold returned to the buyer, one
 * `destroyed_blobs` row per blob, and `destruction.executed` listing the SHA-256 of what was destroyed. The bytes
 * are removed after the commit; a crash in between is finished by `sweep()`.
 */
@Injectable()
export class DestructionService {
  private readonly log = new Logger(DestructionService.name);
  private readonly bytes: DestroyedBytes;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly settlement: SettlementService,
    private readonly catalogue: ImportantDataCatalogue,
    private readonly index: CatalogIndex,
    @Inject(BLOB_STORE) blobs: BlobStore,
    files: DeliveryFileStore,
  ) {
    this.bytes = new DestroyedBytes(uow, clock, ledger, blobs, files);
  }

  /**
   * A merchant asks to destroy its asset's data. Not its asset: 404; destroyed already: 409 `asset_destroyed`;
   * a request open already: 409 `destruction_open` (the partial unique index decides a race). General data is
   * executed in the same request.
   */
  async request(principal: Principal, input: NewDestruction): Promise<Destruction> {
    checkReason(input.reason);
    const asset = await this.uow.read((em) => em.findOne(Asset, { id: input.assetId }));
    if (!asset || !ownsAsset(principal, asset)) throw new NotFound('asset');
    if (asset.status === 'destroyed')
      throw new Conflict(`asset ${asset.id} is destroyed already`, 'asset_destroyed');
    if (!DESTROYABLE.includes(asset.status))
      throw new Conflict(
        `asset ${asset.id} is ${asset.status}: the platform holds data of registered assets only`,
        'asset_not_registered',
      );
    const needsApproval = asset.level === 'important' || asset.level === 'core';
    const id = newId();
    const open = async (em: EntityManager): Promise<void> => {
      const now = this.clock.now();
      em.create(Destruction, {
        id,
        assetId: asset.id,
        organisationId: principal.organisationId,
        requestedByAccountId: principal.accountId,
        reason: input.reason,
        assetLevel: asset.level,
        needsApproval,
        state: 'requested',
        decidedByAccountId: null,
        decidedAt: null,
        decisionReason: null,
        inventory: null,
        executedAt: null,
        bytesRemovedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException)
          throw new Conflict(
            `a destruction of asset ${asset.id} is open already (or it was executed)`,
            'destruction_open',
          );
        throw error;
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'destruction.requested',
          subjectIds: [id, asset.id, principal.organisationId],
          payload: {
            destructionId: id,
            assetId: asset.id,
            assetLevel: asset.level,
            needsApproval,
            reason: input.reason,
          },
        },
      ]);
    };
    if (needsApproval) await this.uow.run(open);
    else await this.execute(actorOf(principal), id, asset.id, open);
    return this.uow.read((em) => em.findOneOrFail(Destruction, { id }));
  }

  /**
   * A regulator decides a requested destruction: approve executes it at once (in the same transaction), refuse
   * ends it with the reason and destroys nothing. A second decision: 409 `destruction_decided`.
   */
  async decide(principal: Principal, id: string, input: DestructionDecision): Promise<Destruction> {
    checkReason(input.reason);
    const destruction = await this.uow.read((em) => em.findOne(Destruction, { id }));
    if (!destruction) throw new NotFound('destruction');
    const step = DESTRUCTION_TRANSITIONS[input.decision];
    if (!step.from.includes(destruction.state)) throw decided(destruction.state);
    const record = async (em: EntityManager): Promise<void> => {
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Destruction,
        { id, state: { $in: [...step.from] } },
        {
          state: step.to,
          decidedByAccountId: principal.accountId,
          decidedAt: now,
          decisionReason: input.reason,
          updatedAt: now,
        },
      );
      if (moved === 0) {
        const current = await em.findOneOrFail(Destruction, { id }, { refresh: true });
        throw decided(current.state);
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: step.recorded,
          subjectIds: [id, destruction.assetId, destruction.organisationId],
          payload: { destructionId: id, assetId: destruction.assetId, reason: input.reason },
        },
      ]);
    };
    if (input.decision === 'refuse') await this.uow.run(record);
    else await this.execute(actorOf(principal), id, destruction.assetId, record);
    return this.uow.read((em) => em.findOneOrFail(Destruction, { id }));
  }

  /** The requesting organisation withdraws a destruction not yet executed (409 otherwise; another's: 404). */
  async withdraw(principal: Principal, id: string): Promise<Destruction> {
    const step = DESTRUCTION_TRANSITIONS.withdraw;
    await this.uow.run(async (em) => {
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Destruction,
        { id, organisationId: principal.organisationId, state: { $in: [...step.from] } },
        { state: step.to, updatedAt: now },
      );
      const current = await em.findOne(Destruction, { id }, { refresh: true });
      if (!current || current.organisationId !== principal.organisationId) throw new NotFound('destruction');
      if (moved === 0)
        throw new Conflict(
          `the destruction is ${current.state}; only a requested one is withdrawn`,
          'not_requested',
        );
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: step.recorded,
          subjectIds: [id, current.assetId, current.organisationId],
          payload: { destructionId: id, assetId: current.assetId },
        },
      ]);
    });
    return this.uow.read((em) => em.findOneOrFail(Destruction, { id }));
  }

  /** A destruction, to its requesting organisation and the overseers; anyone else is told it does not exist. */
  async get(principal: Principal, id: string): Promise<Destruction> {
    const destruction = await this.uow.read((em) => em.findOne(Destruction, { id }));
    if (!destruction || (destruction.organisationId !== principal.organisationId && !isOverseer(principal)))
      throw new NotFound('destruction');
    return destruction;
  }

  /** Newest first, a page at a time: a merchant its own organisation's, the overseers all; optionally one state. */
  async list(
    principal: Principal,
    filter: { state?: DestructionState; assetId?: string; after?: string; limit: number },
  ): Promise<{ destructions: Destruction[]; next: string | null }> {
    const after = keysetPage.after(filter.after);
    return this.uow.read(async (em) => {
      const rows = await em.find(
        Destruction,
        {
          ...after,
          ...(isOverseer(principal) ? {} : { organisationId: principal.organisationId }),
          ...(filter.state ? { state: filter.state } : {}),
          ...(filter.assetId ? { assetId: filter.assetId } : {}),
        },
        keysetPage.options(filter.limit),
      );
      const { rows: destructions, next } = keysetPage.cut(rows, filter.limit);
      return { destructions, next };
    });
  }

  /** Removes the bytes of executed destructions that a crash left stored; returns how many blobs it removed. */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const id of await this.bytes.unfinished()) {
      try {
        removed += await this.bytes.remove(id);
      } catch (error) {
        this.log.warn(
          `destruction ${id}: bytes not all removed yet (${(error as Error).message}); next sweep`,
        );
      }
    }
    return removed;
  }

  /**
   * Runs `opening` (the request or the approval) and the execution in one transaction with the settlement batch
   * that returns the pending holds, then removes the bytes after the commit.
   */
  private async execute(
    actor: LedgerActor,
    id: string,
    assetId: string,
    opening: (em: EntityManager) => Promise<void>,
  ): Promise<void> {
    const plan = await this.uow.read(async (em): Promise<Plan> => {
      const listingIds = await listingIdsOf(em, assetId);
      return { listingIds, endings: await contractsEndedByDestruction(em, listingIds) };
    });
    const items = destructionVoids(`destruction:${id}`, plan.endings);
    const within = async (em: EntityManager, tx: Transaction): Promise<void> => {
      await opening(em);
      await this.carryOut(em, tx, actor, id, assetId, plan);
    };
    if (items.length === 0) await this.uow.run(within);
    else await this.settlement.executeBatch(items, actor, { replayAfterRefusal: false, within });
  }

  /** Precondition: inside the executing transaction, after the request or approval was written. */
  private async carryOut(
    em: EntityManager,
    tx: Transaction,
    actor: LedgerActor,
    id: string,
    assetId: string,
    plan: Plan,
  ): Promise<void> {
    const now = this.clock.now();
    const executed = await em.nativeUpdate(
      Destruction,
      { id, $or: [{ state: 'approved' }, { state: 'requested', needsApproval: false }] },
      { state: 'executed', executedAt: now, updatedAt: now },
    );
    if (executed === 0) throw new Conflict('the destruction cannot be executed now', 'destruction_decided');
    const destruction = await em.findOneOrFail(Destruction, { id }, { refresh: true });
    const listingIds = await listingIdsOf(em, assetId);
    if (listingIds.join() !== plan.listingIds.join())
      throw new Conflict(
        'the listings on the asset changed meanwhile; send the request again',
        'listings_changed',
      );
    assertSameEndings(plan.endings, await contractsEndedByDestruction(em, listingIds));

    const asset = await em.findOneOrFail(Asset, { id: assetId }, { refresh: true });
    const before = catalogueState(asset);
    const reason = `data destroyed (DS 37): ${destruction.reason}`;
    const moved = await em.nativeUpdate(
      Asset,
      { id: assetId, status: before.status },
      { status: 'destroyed', statusReason: reason.slice(0, 1000), updatedAt: now },
    );
    if (moved === 0 || !DESTROYABLE.includes(before.status))
      throw new Conflict(
        `asset ${assetId} is ${asset.status}; its data cannot be destroyed now`,
        'asset_destroyed',
      );
    await this.catalogue.changed(em, actor, before, { ...before, status: 'destroyed' });

    const events: LedgerEvent[] = [];
    const withdrawn = await this.withdrawListings(em, actor, destruction, listingIds, events);
    const gathered = await gather(em, assetId, listingIds);
    if (gathered.datasets.length > 0)
      await em.nativeUpdate(
        Dataset,
        { id: { $in: gathered.datasets.map((d) => d.id) }, state: { $ne: 'destroyed' } },
        { state: 'destroyed', updatedAt: now },
      );
    await this.refuseComputations(em, actor, gathered.datasets, now, events);
    events.push(
      ...(await endContractsByDestruction(em, plan.endings, { now, actor, destructionId: id, assetId })),
    );

    const inventory: DestroyedInventory = {
      ...gathered.inventory,
      contractsEnded: plan.endings.map((e) => e.contract.id),
      listingsWithdrawn: withdrawn,
    };
    destruction.inventory = inventory;
    await em.flush();
    if (gathered.remove.length > 0)
      await em.insertMany(
        DestroyedBlob,
        gathered.remove.map((b) => ({
          destructionId: id,
          store: b.store,
          sha256: b.sha256,
          removingAt: null,
          removedAt: null,
          outcome: null,
        })),
      );
    const buyers = [...new Set(plan.endings.map((e) => e.contract.buyerOrganisationId))].sort();
    events.push({
      actor,
      action: DESTRUCTION_TRANSITIONS.execute.recorded,
      subjectIds: [...new Set([id, assetId, destruction.organisationId, ...buyers])],
      payload: {
        destructionId: id,
        assetId,
        organisationId: destruction.organisationId,
        assetLevel: destruction.assetLevel,
        reason: destruction.reason,
        inventory: inventory as unknown as JsonValue,
      },
    });
    await this.ledger.record(em, events);
    tx.afterCommit(async () => {
      try {
        await this.bytes.remove(id);
      } catch (error) {
        this.log.warn(
          `destruction ${id}: bytes not all removed (${(error as Error).message}); the sweep finishes`,
        );
      }
    });
  }

  /** Withdraws every open listing on the asset (`listing.withdrawn` each, out of the search catalogue). */
  private async withdrawListings(
    em: EntityManager,
    actor: LedgerActor,
    destruction: Destruction,
    listingIds: readonly string[],
    events: LedgerEvent[],
  ): Promise<string[]> {
    if (listingIds.length === 0) return [];
    const listings = await em.find(
      Listing,
      { id: { $in: [...listingIds] }, status: { $in: [...OPEN_LISTINGS] } },
      { orderBy: { id: 'asc' }, refresh: true },
    );
    const reason = `the data of asset ${destruction.assetId} was destroyed (DS 37)`;
    const withdrawn: string[] = [];
    for (const listing of listings) {
      const moved = await em.nativeUpdate(
        Listing,
        { id: listing.id, status: listing.status },
        { status: 'withdrawn', statusReason: reason, updatedAt: this.clock.now() },
      );
      if (moved === 0)
        throw new Conflict(
          `listing ${listing.id} changed meanwhile; send the request again`,
          'listing_changed',
        );
      await this.index.remove(em, listing.id);
      withdrawn.push(listing.id);
      events.push({
        actor,
        action: 'listing.withdrawn',
        subjectIds: [listing.id, destruction.assetId, destruction.id],
        payload: { from: listing.status, to: 'withdrawn', reason, destructionId: destruction.id },
      });
    }
    return withdrawn;
  }

  /** Refuses the computations still pending on the destroyed datasets (`data_destroyed`). */
  private async refuseComputations(
    em: EntityManager,
    actor: LedgerActor,
    datasets: readonly Dataset[],
    now: Date,
    events: LedgerEvent[],
  ): Promise<void> {
    if (datasets.length === 0) return;
    const pending = await em.find(
      Computation,
      { datasetId: { $in: datasets.map((d) => d.id) }, state: { $in: [...PENDING_COMPUTATIONS] } },
      { orderBy: { id: 'asc' }, refresh: true },
    );
    const reason = 'the dataset was destroyed at its holder’s request (DS 37)';
    for (const c of pending) {
      const moved = await em.nativeUpdate(
        Computation,
        { id: c.id, state: c.state },
        { state: 'refused', reasonCode: 'data_destroyed', reason, finishedAt: now, updatedAt: now },
      );
      if (moved === 0) continue;
      events.push({
        actor,
        action: 'computation.refused',
        subjectIds: [c.id, c.contractId],
        payload: {
          computationId: c.id,
          contractId: c.contractId,
          code: 'data_destroyed',
          by: 'platform',
          reason,
        },
      });
    }
  }
}

function checkReason(reason: string): void {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_LENGTH)
    throw new ValidationFailed(`give a reason of 1 to ${MAX_REASON_LENGTH} characters`, 'reason_required');
}

const decided = (state: DestructionState) =>
  new Conflict(`the destruction is ${state}; only a requested one is decided`, 'destruction_decided');
