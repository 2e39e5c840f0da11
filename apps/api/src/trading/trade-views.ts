import { Injectable } from '@nestjs/common';
import { OrganisationService } from '@app/identity';
import type { Contract, NegotiationRecord } from '@app/trading';
import { contractView, type ContractResponse } from './contract.response.js';
import { negotiationView, type NegotiationResponse } from './negotiations.response.js';

interface BetweenParties {
  buyerOrganisationId: string;
  merchantOrganisationId: string;
}

/**
 * Contracts and negotiations as the API shows them, with their parties' registered names: one query for a whole page.
 * Precondition of every method: the caller may read each record given (so it may know who its parties are).
 */
@Injectable()
export class TradeViews {
  constructor(private readonly organisations: OrganisationService) {}

  private names(records: readonly BetweenParties[]): Promise<Map<string, string>> {
    return this.organisations.namesOf(
      records.flatMap((r) => [r.buyerOrganisationId, r.merchantOrganisationId]),
    );
  }

  async contracts(contracts: readonly Contract[]): Promise<ContractResponse[]> {
    const names = await this.names(contracts);
    return contracts.map((c) => contractView(c, names));
  }

  async contract(contract: Contract): Promise<ContractResponse> {
    return (await this.contracts([contract]))[0];
  }

  async negotiations(records: readonly NegotiationRecord[]): Promise<NegotiationResponse[]> {
    const names = await this.names(records.map((r) => r.negotiation));
    return records.map((r) => negotiationView(r, names));
  }

  async negotiation(record: NegotiationRecord): Promise<NegotiationResponse> {
    return (await this.negotiations([record]))[0];
  }
}
