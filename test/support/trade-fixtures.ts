import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import {
  Contract,
  Negotiation,
  termsHash,
  termsToJson,
  totalPriceFen,
  type ContractState,
  type NegotiationState,
  type Terms,
} from '@app/trading';
import type { TestApp } from './test-app.js';

/** Compute terms within `listingBody`'s listing (mean over vehicle_count, per-computation). */
export const computeTerms = (overrides: Partial<Terms> = {}): Terms => ({
  purpose: '交通规划：按路口评估早高峰拥堵',
  columns: ['vehicle_count'],
  recipes: ['mean'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen: 150000n,
  periodDays: 30,
  computations: 3,
  ...overrides,
});

/** Where the negotiation of a contract in each state stands (the DSP mapping in docs/negotiation.md). */
const NEGOTIATION_STATE_OF: Record<ContractState, NegotiationState> = {
  awaiting_signatures: 'agreed',
  signed: 'verified',
  active: 'finalized',
  disputed: 'finalized',
  suspended: 'finalized',
  ended: 'finalized',
};

/** Terms as JSON for a request body. */
export const termsBody = (t: Terms): Record<string, unknown> => ({ ...termsToJson(t) });

/**
 * A contract row written straight to the database, for the tests of one step (signing, funding, disputes) that
 * should not depend on the negotiation. The whole-trade test forms its contract through the API instead.
 */
export async function insertContract(
  t: TestApp,
  c: {
    listingId: string;
    buyerOrganisationId: string;
    merchantOrganisationId: string;
    terms?: Terms;
    state?: ContractState;
    shares?: { organisationId: string; basisPoints: number }[];
    platformFeeBasisPoints?: number;
    epsilonBudgetMilli?: number;
    publicResourceFeeBasisPoints?: number;
  },
): Promise<Contract> {
  const terms = c.terms ?? computeTerms();
  const em = t.app.get(MikroORM).em.fork();
  const now = t.clock.now();
  const negotiation = em.create(Negotiation, {
    id: randomUUID(),
    listingId: c.listingId,
    buyerOrganisationId: c.buyerOrganisationId,
    merchantOrganisationId: c.merchantOrganisationId,
    state: NEGOTIATION_STATE_OF[c.state ?? 'awaiting_signatures'],
    version: 1,
    agreedVersion: 1,
    purposeApproval: 'not_required',
    createdAt: now,
    updatedAt: now,
  });
  // Flushed on its own first: the ORM knows no relation that would order the two inserts (contracts reference it).
  await em.flush();
  const contract = em.create(Contract, {
    id: randomUUID(),
    negotiationId: negotiation.id,
    version: 1,
    listingId: c.listingId,
    buyerOrganisationId: c.buyerOrganisationId,
    merchantOrganisationId: c.merchantOrganisationId,
    level: 'general',
    terms: termsToJson(terms),
    termsHash: termsHash(terms),
    clauses: [{ code: 'no_onward_transfer', article: 'DS 40', text: 'no onward transfer' }],
    amountFen: totalPriceFen(terms),
    platformFeeBasisPoints: c.platformFeeBasisPoints ?? 300,
    publicResourceFeeBasisPoints: c.publicResourceFeeBasisPoints ?? 0,
    shares: c.shares ?? [{ organisationId: c.merchantOrganisationId, basisPoints: 10000 }],
    state: c.state ?? 'awaiting_signatures',
    escrow: 'unfunded',
    computationsUsed: 0,
    epsilonBudgetMilli: c.epsilonBudgetMilli ?? 10_000,
    epsilonSpentMilli: 0,
    createdAt: now,
    updatedAt: now,
  });
  negotiation.contractId = contract.id;
  await em.flush();
  return contract;
}
