/**
 * The error family libs throw. `code` is stable and machine-readable; the API's one filter maps the kind to an HTTP
 * status, so libs never think in HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'rate_limited'
  | 'refused'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(message: string, code = 'validation_failed') {
    super('invalid', code, message);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'authentication required', code = 'unauthenticated') {
    super('unauthenticated', code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'this role may not do that', code = 'forbidden') {
    super('forbidden', code, message);
  }
}

/** Also what a party gets for another party's record: existence is not disclosed. */
export class NotFound extends DomainError {
  constructor(what: string, code = 'not_found') {
    super('not_found', code, `${what} not found`);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict') {
    super('conflict', code, message);
  }
}

export class Locked extends DomainError {
  constructor(message: string, code = 'locked') {
    super('locked', code, message);
  }
}

export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 'rate_limited', message);
  }
}

/**
 * A rule of the regulations refused the request (a core-data listing, a price outside its band, …). `article` names
 * the article that decided it (`DS 29`, `DE 41`); the message starts with it so people see it too.
 */
export class RuleRefused extends DomainError {
  constructor(
    readonly article: string,
    code: string,
    reason: string,
  ) {
    super('refused', code, `${article}: ${reason}`);
  }
}

/** A compliance decision's shape (see @app/compliance), known here structurally so core depends on nothing. */
export interface RuleDecision {
  allowed: boolean;
  article: string;
  reason: string;
  code?: string;
}

/** Throws `RuleRefused` for a refusal; returns the decision when it allows. */
export function enforce<D extends RuleDecision>(decision: D): D {
  if (!decision.allowed)
    throw new RuleRefused(decision.article, decision.code ?? 'rule_refused', decision.reason);
  return decision;
}
