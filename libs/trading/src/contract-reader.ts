import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Forbidden, NotFound } from '@app/core';
import { UnitOfWork } from '@app/database';
import { isOverseer, type Principal } from '@app/identity';
import { Contract } from './entities/contract.entity.js';

export type ContractSide = 'buyer' | 'merchant';

/** The side `organisationId` takes in `contract`, or null when it is neither party. */
export const sideOf = (contract: Contract, organisationId: string): ContractSide | null =>
  contract.buyerOrganisationId === organisationId
    ? 'buyer'
    : contract.merchantOrganisationId === organisationId
      ? 'merchant'
      : null;

/** Access to the data runs while the contract is active and inside its period of use. */
export const grantsAccess = (contract: Contract, now: Date): boolean =>
  contract.state === 'active' && !!contract.endsAt && now < contract.endsAt;

/** Finds contracts for the parties and the overseers; anyone else is told it does not exist. */
@Injectable()
export class ContractReader {
  constructor(private readonly uow: UnitOfWork) {}

  /** The contract as `principal` may see it: a party's, or any for the operator and regulators. */
  async visible(id: string, principal: Principal, em?: EntityManager): Promise<Contract> {
    const contract = await (em
      ? em.findOne(Contract, { id })
      : this.uow.read((e) => e.findOne(Contract, { id })));
    if (!contract || (!isOverseer(principal) && sideOf(contract, principal.organisationId) === null))
      throw new NotFound('contract');
    return contract;
  }

  /** The contract and the caller's side in it; overseers are refused (they never trade). */
  async asParty(
    id: string,
    principal: Principal,
    em?: EntityManager,
  ): Promise<{ contract: Contract; side: ContractSide }> {
    const contract = await this.visible(id, principal, em);
    const side = sideOf(contract, principal.organisationId);
    if (!side) throw new Forbidden('only the buyer or the merchant of a contract takes this step');
    return { contract, side };
  }
}
