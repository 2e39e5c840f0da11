/**
 * The Dataspace Protocol's contract-negotiation states as the outward model (DSP 2025-1, "Contract Negotiation"):
 *
 * - `requested`: the buyer's version is the latest and awaits the merchant (the buyer applied or countered);
 * - `offered`: the merchant's version is the latest and awaits the buyer;
 * - `accepted`: both sides accepted one version, and the operator must still approve its purpose (conditional free
 *   use of public data, DE 41) before the contract forms;
 * - `agreed`: both sides accepted one version and the contract is formed, awaiting both signatures;
 * - `verified`: both parties signed the contract and the platform countersigned;
 * - `finalized`: the contract is funded and active;
 * - `terminated`: ended early, always with a typed reason.
 */
export const NEGOTIATION_STATES = [
  'requested',
  'offered',
  'accepted',
  'agreed',
  'verified',
  'finalized',
  'terminated',
] as const;
export type NegotiationState = (typeof NEGOTIATION_STATES)[number];

export type NegotiationSide = 'buyer' | 'merchant';

export const NEGOTIATION_STEPS = [
  'apply',
  'counter',
  'accept',
  'approvePurpose',
  'refusePurpose',
  'sign',
  'fund',
  'terminate',
] as const;
export type NegotiationStep = (typeof NEGOTIATION_STEPS)[number];

export interface NegotiationTransition {
  from: readonly NegotiationState[];
  /** Where the step leads; `accept` leads to `accepted` or `agreed` (see its note), `counter` by the author's side. */
  to: readonly NegotiationState[];
  by: 'buyer' | 'merchant' | 'either' | 'operator' | 'platform' | 'any';
  /** The ledger action written with the step. */
  recorded: string;
}

/**
 * Each step moves the negotiation by a conditional update from the state (and version) it was read in, so of
 * parallel steps exactly one takes effect.
 */
export const NEGOTIATION_TRANSITIONS: Readonly<Record<NegotiationStep, NegotiationTransition>> = {
  apply: { from: [], to: ['requested'], by: 'buyer', recorded: 'negotiation.requested' },
  /** A buyer's counter-offer leads to `requested`, a merchant's to `offered`. */
  counter: {
    from: ['requested', 'offered'],
    to: ['requested', 'offered'],
    by: 'either',
    recorded: 'negotiation.offered',
  },
  /**
   * The side that did not make the latest version accepts it (making a version is its author's acceptance): the
   * negotiation is `agreed` and the contract forms, or `accepted` while the operator's approval of the purpose is
   * pending (conditional free use).
   */
  accept: {
    from: ['requested', 'offered'],
    to: ['accepted', 'agreed'],
    by: 'either',
    recorded: 'negotiation.accepted',
  },
  approvePurpose: {
    from: ['accepted'],
    to: ['agreed'],
    by: 'operator',
    recorded: 'negotiation.purposeApproved',
  },
  refusePurpose: {
    from: ['accepted'],
    to: ['terminated'],
    by: 'operator',
    recorded: 'negotiation.purposeRefused',
  },
  sign: { from: ['agreed'], to: ['verified'], by: 'platform', recorded: 'negotiation.verified' },
  fund: { from: ['verified'], to: ['finalized'], by: 'platform', recorded: 'negotiation.finalized' },
  terminate: {
    from: ['requested', 'offered', 'accepted', 'agreed', 'verified'],
    to: ['terminated'],
    by: 'any',
    recorded: 'negotiation.terminated',
  },
};

/**
 * Why a negotiation or a contract ended early: always one of these, with an optional detail in words. EDC's users
 * ask for exactly this (a termination without a reason leaves the other side guessing).
 */
export const TERMINATION_REASONS = {
  buyer_withdrew: 'the buyer withdrew',
  merchant_declined: 'the merchant declined',
  terms_unacceptable: 'the terms could not be agreed',
  offer_expired: 'the latest offer expired unanswered',
  listing_unavailable: 'the listing was suspended or withdrawn',
  purpose_refused: 'the operator refused the purpose (DE 41)',
  compliance_refused: 'a rule of the regulations refused the terms',
  signature_timeout: 'the contract was not signed in time',
  operator_intervention: 'the operator ended it (DS 58)',
  other: 'another reason, given in the detail',
} as const;
export type TerminationReason = keyof typeof TERMINATION_REASONS;
export const TERMINATION_REASON_CODES = Object.keys(TERMINATION_REASONS) as TerminationReason[];
