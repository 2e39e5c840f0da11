import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { APP_CONFIG, Clock, DomainError, Forbidden, type AppConfig } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, type Principal } from '@app/identity';
import { LedgerRecorder, type LedgerActor } from '@app/ledger';
import { SettlementService, type BatchItem } from '@app/settlement';
import { ContractReader } from './contract-reader.js';
import { stepRefused } from './contract-money.js';
import { fundingDates, fundingHolds } from './core/index.js';
import { Contract } from './entities/contract.entity.js';
import { NegotiationService } from './negotiation.service.js';

export interface Funding {
  contract: Contract;
  /** The first call's result answered again (same key, same request). */
  replayed: boolean;
}

/**
 * The buyer pays a signed contract into escrow (issue 10 items 3–4, BRIEF interface 3). One transaction: the
 * contract's conditional update `signed → active` (funding time, period end, delivery due date, escrow `held`),
 * the negotiation's `finalized`, the ledger's `contract.funded`, and the settlement holds with theirs — a hold
 * `<contractId>` for one-off and subscription billing, one `<contractId>.u<n>` per computation for per-computation
 * billing. Nothing commits unless all of it does: a buyer short of funds leaves the contract `signed`.
 */
@Injectable()
export class ContractFundingService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly settlement: SettlementService,
    private readonly contracts: ContractReader,
    private readonly negotiations: NegotiationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Funds contract `id` for its buyer. `key` is the caller's idempotency key, already scoped to its organisation
   * (`org:<id>/<Idempotency-Key>`): a retry with it answers the first result and moves nothing; the key used for
   * another contract (another hold or amount) is refused 422 `idempotency_key_reused`; a concurrent twin waits on
   * the contract row, finds it funded, and replays. `expectedAmountFen`, when given, must be the contract's amount.
   * Refusals: not the buyer 403, not `signed` 409 `contract_not_signed`, short of funds 422 `insufficient_funds`.
   */
  async fund(principal: Principal, id: string, key: string, expectedAmountFen?: bigint): Promise<Funding> {
    const { contract, side } = await this.contracts.asParty(id, principal);
    if (side !== 'buyer') throw new Forbidden('only the buyer of a contract funds it', 'not_buyer');
    if (expectedAmountFen !== undefined && expectedAmountFen !== contract.amountFen)
      throw new DomainError(
        'refused',
        'amount_mismatch',
        `the contract's amount is ${contract.amountFen} fen, not ${expectedAmountFen}`,
      );
    const actor = actorOf(principal);
    if (contract.amountFen === 0n) return this.activateFree(contract, actor);
    const items: BatchItem[] = fundingHolds(contract).map((h, i) => ({
      key: i === 0 ? key : `${key}#u${i + 1}`,
      op: {
        name: 'hold',
        holdId: h.holdId,
        payerOrganisationId: contract.buyerOrganisationId,
        amount: h.amount,
      },
    }));
    const executions = await this.settlement.executeBatch(items, actor, {
      within: async (em) => {
        await this.activate(em, contract, actor);
      },
    });
    const funded = await this.uow.read((em) => em.findOneOrFail(Contract, { id }));
    return { contract: funded, replayed: executions.every((e) => e.replayed) };
  }

  /**
   * A contract priced at 0 (conditional free use, DE 41) holds no money: "funding" activates it, with nothing in
   * escrow (`released`: nothing is owed) and no delivery timeout. As no money moves, a retry of an activated
   * contract answers it as it is (`replayed`), whatever its key.
   */
  private async activateFree(contract: Contract, actor: LedgerActor): Promise<Funding> {
    try {
      await this.uow.run((em) => this.activate(em, contract, actor));
    } catch (error) {
      const now = await this.uow.read((em) => em.findOneOrFail(Contract, { id: contract.id }));
      if (now.fundedAt && now.amountFen === 0n) return { contract: now, replayed: true };
      throw error;
    }
    return {
      contract: await this.uow.read((em) => em.findOneOrFail(Contract, { id: contract.id })),
      replayed: false,
    };
  }

  /** The contract's half of the funding, inside the settlement's transaction and before its writes. */
  private async activate(em: EntityManager, contract: Contract, actor: LedgerActor): Promise<void> {
    const now = this.clock.now();
    const free = contract.amountFen === 0n;
    const dates = fundingDates(contract, now, this.config.trading.deliveryConfirmDays);
    const endsAt = dates.endsAt;
    const deliveryDueAt = free ? null : dates.deliveryDueAt;
    const moved = await em.nativeUpdate(
      Contract,
      { id: contract.id, state: 'signed', escrow: 'unfunded' },
      {
        state: 'active',
        escrow: free ? 'released' : 'held',
        fundedAt: now,
        endsAt,
        deliveryDueAt,
        updatedAt: now,
      },
    );
    if (moved === 0) await stepRefused(em, contract.id, 'fund it', 'contract_not_signed');
    await this.negotiations.markFinalized(em, contract.negotiationId);
    await this.ledger.record(em, [
      {
        actor,
        action: 'contract.funded',
        subjectIds: [contract.id, contract.buyerOrganisationId, contract.merchantOrganisationId],
        payload: {
          amountFen: contract.amountFen.toString(),
          holds: free
            ? []
            : fundingHolds(contract).map((h) => ({ holdId: h.holdId, amountFen: h.amount.toString() })),
          fundedAt: now.toISOString(),
          endsAt: endsAt.toISOString(),
          deliveryDueAt: deliveryDueAt?.toISOString() ?? null,
        },
      },
    ]);
  }
}
