/**
 * A destruction request's life (DS 37):
 *
 * - requested: the merchant asked to destroy an asset's data held by the platform; for important or core data it
 *   waits for a regulator's approval (事前申请审核);
 * - approved / refused: a regulator decided, with a reason;
 * - executed: the platform destroyed the data (general data goes straight from `requested`): the datasets and
 *   delivery files are marked destroyed, the contracts that depend on them end, the asset leaves the important-data
 *   catalogue, and the ledger's `destruction.executed` lists the SHA-256 of every blob destroyed. The bytes are
 *   removed after that commit (`bytesRemovedAt`), by the request itself and, after a crash, by the next sweep;
 * - withdrawn: the merchant withdrew a request not yet executed.
 *
 * Destroyed data is never restored: `executed` is final and nothing moves an asset out of `destroyed`.
 */
export const DESTRUCTION_STATES = ['requested', 'approved', 'refused', 'executed', 'withdrawn'] as const;
export type DestructionState = (typeof DESTRUCTION_STATES)[number];

export type DestructionStep = 'approve' | 'refuse' | 'execute' | 'withdraw';

export interface DestructionTransition {
  from: readonly DestructionState[];
  to: DestructionState;
  by: 'regulator' | 'merchant' | 'platform';
  recorded: string;
}

export const DESTRUCTION_TRANSITIONS: Readonly<Record<DestructionStep, DestructionTransition>> = {
  approve: { from: ['requested'], to: 'approved', by: 'regulator', recorded: 'destruction.approved' },
  refuse: { from: ['requested'], to: 'refused', by: 'regulator', recorded: 'destruction.refused' },
  /** From `requested` only when no approval is needed (general data); else from `approved`. */
  execute: {
    from: ['requested', 'approved'],
    to: 'executed',
    by: 'platform',
    recorded: 'destruction.executed',
  },
  withdraw: {
    from: ['requested', 'approved'],
    to: 'withdrawn',
    by: 'merchant',
    recorded: 'destruction.withdrawn',
  },
};
