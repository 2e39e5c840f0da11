import { Injectable } from '@nestjs/common';
import { OrganisationService } from '@app/identity';
import type { Contract } from '@app/trading';
import { contractView, type ContractResponse } from './contract.response.js';

/** Contracts as the API shows them, with their parties' names: one query for a whole page. */
@Injectable()
export class ContractViews {
  constructor(private readonly organisations: OrganisationService) {}

  /** Precondition: the caller may read each of these contracts (so it may know who its parties are). */
  async of(contracts: readonly Contract[]): Promise<ContractResponse[]> {
    const names = await this.organisations.namesOf(
      contracts.flatMap((c) => [c.buyerOrganisationId, c.merchantOrganisationId]),
    );
    return contracts.map((c) => contractView(c, names));
  }

  async one(contract: Contract): Promise<ContractResponse> {
    return (await this.of([contract]))[0];
  }
}
