import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, Forbidden, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { describeContract } from './contract-money.js';
import { CONTRACT_TRANSITIONS } from './core/index.js';
import { Contract } from './entities/contract.entity.js';

export type SuspensionStep = 'suspend' | 'reinstate';

export const MAX_SUSPENSION_REASON = 1000;

/**
 * Suspension of a contract by the operator or a regulator (DS 58), on a complaint's decision or on their own
 * finding: `active → suspended` and back. While suspended nothing that checks `active` runs — no computation, no
 * download, no metering, no delivery confirmation, no dispute — and the trading sweep leaves it alone (it selects
 * `active` contracts only): its escrow is neither released on the delivery timeout nor is the contract expired.
 * Reinstated, it is `active` again and the next sweep takes whatever fell due meanwhile. Each step is a conditional
 * update on the state it leaves, with a `contract.suspended|reinstated` ledger entry naming the contract and both
 * parties, so the parties learn of it; a suspended contract keeps its reason (`suspensionReason`) until reinstated.
 */
@Injectable()
export class ContractSuspensionService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  async suspend(principal: Principal, contractId: string, reason: string): Promise<Contract> {
    return this.uow.run((em) => this.stepIn(em, principal, contractId, 'suspend', reason));
  }

  async reinstate(principal: Principal, contractId: string, reason: string): Promise<Contract> {
    return this.uow.run((em) => this.stepIn(em, principal, contractId, 'reinstate', reason));
  }

  /**
   * One step inside the caller's transaction (a complaint's decision suspends in its own). Precondition: `em` is
   * inside that transaction. Not an overseer 403; no such contract 404; not in the step's `from` state 409.
   */
  async stepIn(
    em: EntityManager,
    principal: Principal,
    contractId: string,
    step: SuspensionStep,
    reason: string,
  ): Promise<Contract> {
    if (!isOverseer(principal))
      throw new Forbidden('only the operator or a regulator suspends or reinstates a contract');
    if (reason.trim() === '')
      throw new ValidationFailed(`to ${step} a contract, give a reason`, 'reason_required');
    if (reason.length > MAX_SUSPENSION_REASON)
      throw new ValidationFailed(
        `the reason is at most ${MAX_SUSPENSION_REASON} characters`,
        'reason_too_long',
      );
    const { from, to, recorded } = CONTRACT_TRANSITIONS[step];
    const now = this.clock.now();
    const moved = await em.nativeUpdate(
      Contract,
      { id: contractId, state: { $in: [...from] } },
      { state: to[0], suspensionReason: step === 'suspend' ? reason : null, updatedAt: now },
    );
    const contract = await em.findOne(Contract, { id: contractId }, { refresh: true });
    if (!contract) throw new NotFound('contract');
    if (moved === 0)
      throw new Conflict(
        `cannot ${step} the contract: it is ${describeContract(contract)}`,
        step === 'suspend' ? 'contract_not_active' : 'contract_not_suspended',
      );
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: recorded,
        subjectIds: [contract.id, contract.buyerOrganisationId, contract.merchantOrganisationId],
        payload: { from: from[0], to: to[0], reason },
      },
    ]);
    return contract;
  }
}
