/**
 * Why the settlement core refused an operation. `kind` uses the names of `@app/core`'s DomainErrorKind so the
 * service can raise the matching DomainError without the core depending on anything.
 */
export type RefusalKind = 'invalid' | 'not_found' | 'conflict' | 'refused';

export type RefusalCode =
  | 'invalid_amount'
  | 'invalid_account'
  | 'invalid_split'
  | 'invalid_hold'
  | 'insufficient_funds'
  | 'hold_exists'
  | 'hold_not_found'
  | 'hold_resolved'
  | 'hold_not_posted'
  | 'amount_exceeds_hold'
  | 'transfer_not_found'
  | 'not_reversible'
  | 'already_reversed'
  | 'idempotency_key_reused';

export class SettlementError extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: RefusalCode,
    message: string,
    /** The account whose guard refused, for `insufficient_funds`. */
    readonly accountId?: string,
  ) {
    super(message);
    this.name = 'SettlementError';
  }
}

export const insufficientFunds = (accountId: string): SettlementError =>
  new SettlementError(
    'refused',
    'insufficient_funds',
    `insufficient funds: account ${accountId} cannot cover this movement`,
    accountId,
  );
