import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { contractClauses } from '@app/compliance';
import { APP_CONFIG, Clock, newId, type AppConfig } from '@app/core';
import { LedgerRecorder, type LedgerActor } from '@app/ledger';
import { revenueShares } from './core/revenue-shares.js';
import { termsFromJson, totalPriceFen } from './core/terms.js';
import { Contract } from './entities/contract.entity.js';
import type { Negotiation, NegotiationVersion } from './entities/negotiation.entity.js';
import type { ListingContext } from './negotiation-listing.js';

/**
 * Forms the contract of a negotiation whose version both sides accepted (and whose purpose the operator approved,
 * for conditional free use): interface 1 of the trading work. The row states everything both parties will sign
 * (DS 58: data, content, purpose, method, period) and never changes its terms afterwards.
 */
@Injectable()
export class ContractFormation {
  constructor(
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Inserts the contract (`awaiting_signatures`, escrow `unfunded`) and its ledger entry. The clauses come from the
   * listing's level (DS 40/52 always, DS 35 for important data), the amount from the terms, the platform fee from
   * the configuration, the public-resource fee from the guided band (DE 36; else 0), the shares from the listed
   * assets' rights (DE 43). Preconditions: `em` is inside the transaction that moved the negotiation to `agreed`
   * by a conditional update (so this runs once per negotiation; the unique negotiation id refuses a second), and
   * `context` is the listing read and locked in that transaction.
   */
  async form(
    em: EntityManager,
    negotiation: Negotiation,
    version: NegotiationVersion,
    context: ListingContext,
    actor: LedgerActor,
  ): Promise<Contract> {
    const terms = termsFromJson(version.terms);
    const { listing, band } = context;
    const now = this.clock.now();
    const fields = {
      id: newId(),
      negotiationId: negotiation.id,
      version: version.version,
      listingId: listing.id,
      buyerOrganisationId: negotiation.buyerOrganisationId,
      merchantOrganisationId: negotiation.merchantOrganisationId,
      level: listing.level,
      terms: version.terms,
      termsHash: version.termsHash,
      clauses: contractClauses(listing.level),
      amountFen: totalPriceFen(terms),
      platformFeeBasisPoints: this.config.trading.platformFeeBasisPoints,
      publicResourceFeeBasisPoints:
        listing.pricingMode === 'guided' && band ? band.publicResourceFeeBasisPoints : 0,
      shares: revenueShares(context.rights.map((rights) => ({ rights }))),
      state: 'awaiting_signatures' as const,
      escrow: 'unfunded' as const,
      computationsUsed: 0,
      epsilonBudgetMilli: listing.epsilonBudgetMilli ?? this.config.compute.epsilonBudgetMilli,
      epsilonSpentMilli: 0,
      createdAt: now,
      updatedAt: now,
    };
    await em.insert(Contract, fields);
    await this.ledger.record(em, [
      {
        actor,
        action: 'contract.formed',
        subjectIds: [fields.id, negotiation.id, listing.id],
        payload: {
          negotiationId: negotiation.id,
          version: version.version,
          listingId: listing.id,
          buyerOrganisationId: fields.buyerOrganisationId,
          merchantOrganisationId: fields.merchantOrganisationId,
          level: fields.level,
          termsHash: fields.termsHash,
          clauses: fields.clauses.map((c) => c.code),
          amountFen: fields.amountFen.toString(),
          platformFeeBasisPoints: fields.platformFeeBasisPoints,
          publicResourceFeeBasisPoints: fields.publicResourceFeeBasisPoints,
          shares: fields.shares.map((s) => ({ ...s })),
        },
      },
    ]);
    return em.findOneOrFail(Contract, { id: fields.id });
  }
}
