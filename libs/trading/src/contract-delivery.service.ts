import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, Forbidden, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, type Principal } from '@app/identity';
import { LedgerRecorder, SYSTEM_ACTOR, type LedgerActor } from '@app/ledger';
import { SettlementService, type BatchItem, type Operation } from '@app/settlement';
import { ContractReader, grantsAccess } from './contract-reader.js';
import { lockedContract, splitOf, stepRefused } from './contract-money.js';
import { escrowAfter, isMetered, pendingUnitHolds, unitHoldId } from './core/index.js';
import { Contract } from './entities/contract.entity.js';

export interface Delivery {
  contract: Contract;
  replayed: boolean;
}

export interface SweepReport {
  /** Escrows released because the buyer neither confirmed nor disputed by `deliveryDueAt`. */
  released: number;
  /** Contracts ended at the end of their period. */
  expired: number;
  /** Contracts a step failed for (logged; the next sweep tries again). */
  failed: number;
}

/** A release id names one released computation result: what the compute side passes to `meter`. */
const RELEASE_ID = /^[\x21-\x7e]{1,100}$/;

/** Contracts a sweep takes on at most per pass; the next beat takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Delivery and the end of a contract's money (issue 10 items 4–5): the buyer's confirmation or the delivery
 * timeout posts and releases the escrow (split by the contract's shares after the fees); metering posts and
 * releases one unit of a per-computation contract per released result; the period's end ends the contract and
 * returns unused units. Each step is the contract's conditional update, its ledger entry and the settlement
 * operations in one transaction (`SettlementService.executeBatch` with `within`), so of a confirmation and a
 * dispute racing for one escrow exactly one takes effect, and a failure leaves everything as it was.
 */
@Injectable()
export class ContractDeliveryService {
  private readonly logger = new Logger('trading');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly settlement: SettlementService,
    private readonly contracts: ContractReader,
  ) {}

  /**
   * The buyer confirms delivery. One-off: the escrow is posted and released and the contract ends `completed`.
   * Subscription: the escrow is posted and released; access runs on to `endsAt`. Per-computation: each unit is
   * paid by metering when its result is released, so the confirmation records `deliveredAt` and moves no money;
   * unused units return to the buyer at the period's end. A second confirmation, or one after the timeout
   * released the escrow or while a dispute freezes it, is 409.
   */
  async confirmDelivery(principal: Principal, id: string): Promise<Delivery> {
    const { contract, side } = await this.contracts.asParty(id, principal);
    if (side !== 'buyer') throw new Forbidden('only the buyer confirms delivery', 'not_buyer');
    const actor = actorOf(principal);
    const free = contract.amountFen === 0n;
    if (isMetered(contract) || free) {
      // No money moves: per-computation units are paid by metering; a free contract holds nothing.
      const ends = free && contract.terms.billingUnit === 'one-off';
      await this.uow.run(async (em) => {
        const now = this.clock.now();
        const moved = await em.nativeUpdate(
          Contract,
          { id, state: 'active', deliveredAt: null },
          {
            deliveredAt: now,
            updatedAt: now,
            ...(ends ? { state: 'ended', endReason: 'completed', endedAt: now } : {}),
          },
        );
        if (moved === 0) {
          const current = await em.findOneOrFail(Contract, { id }, { refresh: true });
          if (current.state === 'active' && current.deliveredAt)
            throw new Conflict(
              `delivery was confirmed already, at ${current.deliveredAt.toISOString()}`,
              'delivery_confirmed',
            );
          await stepRefused(em, id, 'confirm delivery', 'delivery_not_confirmable');
        }
        await this.ledger.record(em, [
          {
            actor,
            action: 'contract.deliveryConfirmed',
            subjectIds: [id, contract.buyerOrganisationId, contract.merchantOrganisationId],
            payload: {
              by: 'buyer',
              releasedFen: '0',
              ended: ends,
              note: free
                ? 'free use: nothing was held'
                : 'per-computation: each unit is paid by metering when its result is released',
            },
          },
        ]);
      });
      return { contract: await this.reload(id), replayed: false };
    }
    await this.release(contract, actor, 'confirm', false);
    return { contract: await this.reload(id), replayed: false };
  }

  /**
   * Meters one released computation result of a per-computation contract (issue 11 calls this): posts and releases
   * the next unit's hold, split like any release; the last unit ends the contract `completed`. Idempotent by
   * `releaseId`: a retry answers the first result (which unit it paid) and moves nothing. Refused 409 when the
   * contract is not active (disputed, ended) or has no unit left, 404 when it does not exist.
   *
   * `options.within` runs the caller's own step (e.g. the release of the computation the unit pays) inside the
   * settlement's transaction, after the unit is taken and with its number: whatever it throws rolls back the unit,
   * the ledger entries and the money with it. It does not run on a replay (the first call's step committed).
   */
  async meter(
    contractId: string,
    releaseId: string,
    actor: LedgerActor = SYSTEM_ACTOR,
    options: { within?: (em: EntityManager, unit: number) => Promise<void> } = {},
  ): Promise<{ contract: Contract; unit: number; replayed: boolean }> {
    if (typeof releaseId !== 'string' || !RELEASE_ID.test(releaseId))
      throw new ValidationFailed('a release id is 1 to 100 visible ASCII characters', 'invalid_release_id');
    const contract = await this.uow.read((em) => em.findOne(Contract, { id: contractId }));
    if (!contract) throw new NotFound('contract');
    if (!isMetered(contract))
      throw new Conflict('only per-computation contracts are metered', 'contract_not_metered');
    if (contract.amountFen === 0n)
      throw new Conflict('a free contract holds nothing to pay per computation', 'contract_free');
    const units = contract.terms.computations ?? 0;
    const guess = Math.min(contract.computationsUsed + 1, Math.max(units, 1));
    const split = splitOf(contract);
    const ops = (n: number): Operation[] => [
      { name: 'post', holdId: unitHoldId(contractId, n) },
      { name: 'release', holdId: unitHoldId(contractId, n), split },
    ];
    const base = `contract:${contractId}/meter/${releaseId}`;
    const items: BatchItem[] = ops(guess).map((op, i) => ({
      key: `${base}/${op.name}`,
      op,
      request: { contractId, releaseId, step: i === 0 ? 'post' : 'release' },
    }));
    const [post] = await this.settlement.executeBatch(items, actor, {
      within: async (em) => {
        const n = await this.takeUnit(em, contract, releaseId, actor);
        await options.within?.(em, n);
        return ops(n);
      },
    });
    const unit = Number(/\.u(\d+)$/.exec(post.result.hold?.id ?? '')?.[1] ?? guess);
    return { contract: await this.reload(contractId), unit, replayed: post.replayed };
  }

  /** Counts one more computation under the contract's row lock; returns the unit it pays. */
  private async takeUnit(
    em: EntityManager,
    contract: Contract,
    releaseId: string,
    actor: LedgerActor,
  ): Promise<number> {
    const id = contract.id;
    const units = contract.terms.computations ?? 0;
    const current = await lockedContract(em, id);
    const now = this.clock.now();
    if (!current || current.state !== 'active' || current.computationsUsed >= units)
      await stepRefused(em, id, 'meter a computation', 'contract_not_meterable');
    // Access ends with the period even before the sweep has marked the contract expired.
    if (!grantsAccess(current!, now))
      throw new Conflict(
        `the contract's period of use ended at ${current!.endsAt?.toISOString()}; no computation is charged after it`,
        'contract_period_ended',
      );
    const n = current!.computationsUsed + 1;
    const last = n === units;
    const moved = await em.nativeUpdate(
      Contract,
      { id, state: 'active', computationsUsed: n - 1 },
      {
        computationsUsed: n,
        updatedAt: now,
        ...(last
          ? { state: 'ended', endReason: 'completed', endedAt: now, escrow: 'released', deliveredAt: now }
          : {}),
      },
    );
    if (moved === 0) await stepRefused(em, id, 'meter a computation', 'contract_not_meterable');
    await this.ledger.record(em, [
      {
        actor,
        action: 'contract.metered',
        subjectIds: [id, contract.buyerOrganisationId, contract.merchantOrganisationId],
        payload: { releaseId, unit: n, of: units, holdId: unitHoldId(id, n), ended: last },
      },
    ]);
    return n;
  }

  /**
   * Delivery timeouts and period ends up to `now`, each contract in its own transaction (a failure is logged and
   * retried by the next sweep). Idempotent: a step already taken is not taken again.
   */
  async sweep(now: Date = this.clock.now()): Promise<SweepReport> {
    const report: SweepReport = { released: 0, expired: 0, failed: 0 };
    const due = await this.uow.read((em) =>
      em.find(
        Contract,
        { state: 'active', escrow: 'held', deliveryDueAt: { $lte: now } },
        { limit: SWEEP_BATCH, orderBy: { deliveryDueAt: 'asc', id: 'asc' } },
      ),
    );
    for (const contract of due) {
      try {
        await this.release(contract, SYSTEM_ACTOR, 'timeout', true, now);
        report.released++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`delivery timeout of contract ${contract.id}: ${(error as Error).message}`);
      }
    }
    const ending = await this.uow.read((em) =>
      em.find(
        Contract,
        { state: 'active', endsAt: { $lte: now } },
        { limit: SWEEP_BATCH, orderBy: { endsAt: 'asc', id: 'asc' } },
      ),
    );
    for (const contract of ending) {
      try {
        if (await this.expire(contract, now)) report.expired++;
      } catch (error) {
        report.failed++;
        this.logger.warn(`period end of contract ${contract.id}: ${(error as Error).message}`);
      }
    }
    return report;
  }

  /**
   * Posts and releases the escrow of a one-off or subscription contract, by the buyer's confirmation or by the
   * delivery timeout. One-off contracts end `completed`; subscriptions stay active to `endsAt`.
   */
  private async release(
    contract: Contract,
    actor: LedgerActor,
    by: 'confirm' | 'timeout',
    replayAfterRefusal: boolean,
    dueBy?: Date,
  ): Promise<void> {
    const id = contract.id;
    const oneOff = contract.terms.billingUnit === 'one-off';
    const items: BatchItem[] = [
      { key: `contract:${id}/${by}/post`, op: { name: 'post', holdId: id } },
      { key: `contract:${id}/${by}/release`, op: { name: 'release', holdId: id, split: splitOf(contract) } },
    ];
    await this.settlement.executeBatch(items, actor, {
      replayAfterRefusal,
      within: async (em) => {
        const now = this.clock.now();
        const moved = await em.nativeUpdate(
          Contract,
          {
            id,
            state: 'active',
            escrow: 'held',
            ...(dueBy ? { deliveryDueAt: { $lte: dueBy } } : {}),
          },
          {
            escrow: 'released',
            deliveredAt: now,
            updatedAt: now,
            ...(oneOff ? { state: 'ended', endReason: 'completed', endedAt: now } : {}),
          },
        );
        if (moved === 0)
          await stepRefused(
            em,
            id,
            by === 'confirm' ? 'confirm delivery' : 'release on timeout',
            'escrow_not_held',
          );
        await this.ledger.record(em, [
          {
            actor,
            action: by === 'confirm' ? 'contract.deliveryConfirmed' : 'contract.deliveryTimedOut',
            subjectIds: [id, contract.buyerOrganisationId, contract.merchantOrganisationId],
            payload: {
              by: by === 'confirm' ? 'buyer' : 'timeout',
              releasedFen: contract.amountFen.toString(),
              ended: oneOff,
              ...(dueBy ? { deliveryDueAt: contract.deliveryDueAt?.toISOString() ?? null } : {}),
            },
          },
        ]);
      },
    });
  }

  /**
   * Ends a contract past `endsAt` as `expired`: a subscription (its escrow released already) just ends; a
   * per-computation contract's unused unit holds are voided back to the buyer in the same transaction. A one-off
   * or subscription whose escrow is still held waits for its delivery timeout (which comes first) or its dispute.
   * Returns whether it ended the contract.
   */
  private async expire(contract: Contract, now: Date): Promise<boolean> {
    const id = contract.id;
    const metered = isMetered(contract) && contract.amountFen > 0n;
    if (!metered && contract.escrow === 'held') return false;
    const pending = metered ? pendingUnitHolds(contract) : [];
    const step = async (em: EntityManager): Promise<void> => {
      const at = this.clock.now();
      const moved = await em.nativeUpdate(
        Contract,
        {
          id,
          state: 'active',
          endsAt: { $lte: now },
          computationsUsed: contract.computationsUsed,
          ...(metered ? {} : { escrow: { $ne: 'held' } }),
        },
        {
          state: 'ended',
          endReason: 'expired',
          endedAt: at,
          updatedAt: at,
          ...(metered ? { escrow: escrowAfter(contract.computationsUsed > 0, pending.length > 0) } : {}),
        },
      );
      if (moved === 0) await stepRefused(em, id, 'end the period', 'contract_not_expirable');
      await this.ledger.record(em, [
        {
          actor: SYSTEM_ACTOR,
          action: 'contract.expired',
          subjectIds: [id, contract.buyerOrganisationId, contract.merchantOrganisationId],
          payload: {
            endsAt: contract.endsAt?.toISOString() ?? null,
            computationsUsed: contract.computationsUsed,
            returnedFen: pending.reduce((sum, h) => sum + h.amount, 0n).toString(),
            voidedHolds: pending.map((h) => h.holdId),
          },
        },
      ]);
    };
    if (pending.length === 0) {
      await this.uow.run(step);
      return true;
    }
    await this.settlement.executeBatch(
      pending.map((h) => ({
        key: `contract:${id}/expire/${h.holdId.slice(id.length + 1)}`,
        op: { name: 'void', holdId: h.holdId },
      })),
      SYSTEM_ACTOR,
      { within: step },
    );
    return true;
  }

  private reload(id: string): Promise<Contract> {
    return this.uow.read((em) => em.findOneOrFail(Contract, { id }));
  }
}
