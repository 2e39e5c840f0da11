/**
 * A contract's life (DS 58: implementation, completion, dispute):
 *
 * - `awaiting_signatures`: formed from a version both sides accepted; each party signs its EIP-712 typed data;
 * - `signed`: both signatures verified and the platform countersigned; awaits the buyer's funding;
 * - `active`: funded (the escrow holds the price); access to the data is granted while active and inside the period;
 * - `disputed`: a party opened a dispute; the escrow is frozen until the operator decides;
 * - `suspended`: the operator or a regulator suspended it on a complaint's decision (DS 58); no access while
 *   suspended; reinstating returns it to `active`;
 * - `ended`: completed, expired, refunded, decided or terminated (`endReason`); access ends with it.
 */
export const CONTRACT_STATES = [
  'awaiting_signatures',
  'signed',
  'active',
  'disputed',
  'suspended',
  'ended',
] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/** What happened to the escrow: nothing yet, held, paid out to the rights holders, returned, or shared by decision. */
export const ESCROW_STATES = ['unfunded', 'held', 'released', 'refunded', 'split'] as const;
export type EscrowState = (typeof ESCROW_STATES)[number];

export const CONTRACT_END_REASONS = [
  'completed',
  'expired',
  'terminated',
  'refunded',
  'dispute_decided',
  /** DS 37: the data it was over was destroyed. */
  'data_destroyed',
] as const;
export type ContractEndReason = (typeof CONTRACT_END_REASONS)[number];

export const CONTRACT_STEPS = [
  'sign',
  'countersign',
  'fund',
  'confirmDelivery',
  'meter',
  'expire',
  'openDispute',
  'decideDispute',
  'terminate',
  'suspend',
  'reinstate',
  'endByDestruction',
] as const;
export type ContractStep = (typeof CONTRACT_STEPS)[number];

export interface ContractTransition {
  from: readonly ContractState[];
  to: readonly ContractState[];
  by: 'buyer' | 'merchant' | 'party' | 'operator' | 'platform';
  recorded: string;
}

/** Each step is a conditional update from the state it was read in: of parallel steps, one takes effect. */
export const CONTRACT_TRANSITIONS: Readonly<Record<ContractStep, ContractTransition>> = {
  sign: {
    from: ['awaiting_signatures'],
    to: ['awaiting_signatures'],
    by: 'party',
    recorded: 'contract.signed',
  },
  /** Made by the platform in the same transaction as the second party signature. */
  countersign: {
    from: ['awaiting_signatures'],
    to: ['signed'],
    by: 'platform',
    recorded: 'contract.countersigned',
  },
  fund: { from: ['signed'], to: ['active'], by: 'buyer', recorded: 'contract.funded' },
  /** One-off: the contract completes; subscription: the escrow is released and access runs to the period's end. */
  confirmDelivery: {
    from: ['active'],
    to: ['active', 'ended'],
    by: 'buyer',
    recorded: 'contract.deliveryConfirmed',
  },
  /** A released computation result posts one unit; the last unit completes the contract. */
  meter: { from: ['active'], to: ['active', 'ended'], by: 'platform', recorded: 'contract.metered' },
  expire: { from: ['active'], to: ['ended'], by: 'platform', recorded: 'contract.expired' },
  openDispute: { from: ['active'], to: ['disputed'], by: 'party', recorded: 'dispute.opened' },
  decideDispute: { from: ['disputed'], to: ['ended'], by: 'operator', recorded: 'dispute.decided' },
  terminate: {
    from: ['awaiting_signatures', 'signed'],
    to: ['ended'],
    by: 'party',
    recorded: 'contract.terminated',
  },
  /** A complaint's decision (DS 58): no access while suspended; the escrow stays as it was. */
  suspend: { from: ['active'], to: ['suspended'], by: 'operator', recorded: 'contract.suspended' },
  reinstate: { from: ['suspended'], to: ['active'], by: 'operator', recorded: 'contract.reinstated' },
  /**
   * DS 37: the asset's data was destroyed. Unfunded contracts end with nothing to move; funded ones end with their
   * escrow returned for what was not delivered (the destruction's service decides the money).
   */
  endByDestruction: {
    from: ['awaiting_signatures', 'signed', 'active', 'suspended'],
    to: ['ended'],
    by: 'platform',
    recorded: 'contract.ended',
  },
};
