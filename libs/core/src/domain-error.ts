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
