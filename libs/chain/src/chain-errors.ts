import { DomainError } from '@app/core';

/** Errors of @app/chain: DomainErrors, so the API's one filter maps them to HTTP like any other (never a 500). */
export type ChainErrorKind = 'invalid' | 'forbidden' | 'conflict' | 'unavailable';

export class ChainError extends DomainError {
  constructor(
    override readonly kind: ChainErrorKind,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(kind, code, message);
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/** A checkpoint at this tree size is already on chain with a different root: the log forked or a key misbehaved. */
export class AnchorConflictError extends ChainError {
  constructor(
    readonly treeSize: number,
    readonly onChainRoot: string,
    readonly requestedRoot: string,
  ) {
    super(
      'conflict',
      'chain_anchor_conflict',
      `tree size ${treeSize} is already anchored with root ${onChainRoot}, not ${requestedRoot}`,
    );
  }
}

/** The contract refused the transaction; `reason` is its custom error name (e.g. NotAnchorer). */
export class AnchorRejectedError extends ChainError {
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(reason === 'NotAnchorer' ? 'forbidden' : 'conflict', `chain_${snake(reason)}`, message, options);
  }
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
