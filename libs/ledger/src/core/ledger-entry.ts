/** A JSON value as it can appear in an entry payload (no undefined, NaN or Infinity). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Who caused an entry; both ids are null for system actions. */
export interface LedgerActor {
  accountId: string | null;
  organisationId: string | null;
}

/** One ledger entry: the unit whose canonical encoding becomes a Merkle leaf. */
export interface LedgerEntry {
  /** 0-based position in the ledger; equals the leaf index, no gaps. */
  index: number;
  /** ISO-8601 UTC instant in `Date.prototype.toISOString()` form, e.g. 2025-01-02T03:04:05.678Z. */
  time: string;
  actor: LedgerActor;
  /** `domain.pastTense`, e.g. `account.roleGranted`. */
  action: string;
  /** Ids of the records the action concerns. */
  subjectIds: string[];
  payload: JsonValue;
}

const ENTRY_KEYS: readonly string[] = ['index', 'time', 'actor', 'action', 'subjectIds', 'payload'];

const ACTION = /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;

/**
 * Checks an (untrusted) value against the entry model. Returns the first problem found, or
 * undefined when the value is a valid `LedgerEntry`. Extra properties are a problem, so that
 * nothing outside the encoding can ride along with an entry.
 */
export function entryProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'entry must be an object';
  const extra = Object.keys(value).find((key) => !ENTRY_KEYS.includes(key));
  if (extra !== undefined) return `unexpected entry property "${extra}"`;
  const { index, time, actor, action, subjectIds, payload } = value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)
    return 'index must be a non-negative integer';
  if (typeof time !== 'string' || !isCanonicalUtcTime(time))
    return 'time must be an ISO-8601 UTC instant as produced by Date.toISOString()';
  if (!isPlainObject(actor)) return 'actor must be an object';
  const actorExtra = Object.keys(actor).find((key) => key !== 'accountId' && key !== 'organisationId');
  if (actorExtra !== undefined) return `unexpected actor property "${actorExtra}"`;
  if (!isNullableId(actor.accountId)) return 'actor.accountId must be a non-empty string or null';
  if (!isNullableId(actor.organisationId)) return 'actor.organisationId must be a non-empty string or null';
  if (typeof action !== 'string' || !ACTION.test(action)) return 'action must look like domain.pastTense';
  if (
    !Array.isArray(subjectIds) ||
    !subjectIds.every((id) => typeof id === 'string' && id.length > 0 && isWellFormed(id))
  ) {
    return 'subjectIds must be an array of non-empty well-formed strings';
  }
  const payloadProblem = jsonProblem(payload, 'payload');
  return payloadProblem;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Exactly the `toISOString()` form of a real instant (checked arithmetically: this is a hot path). */
function isCanonicalUtcTime(time: string): boolean {
  // The pattern fixes every field's position, and its \d are ASCII digits only.
  if (!ISO_UTC.test(time)) return false;
  const year = digits(time, 0, 4);
  const month = digits(time, 5, 7);
  const day = digits(time, 8, 10);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    digits(time, 11, 13) < 24 &&
    digits(time, 14, 16) < 60 &&
    digits(time, 17, 19) < 60
  );
}

/** The decimal value of the ASCII digits text[from, to). */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

function isNullableId(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.length > 0 && isWellFormed(value));
}

/**
 * No lone UTF-16 surrogates, so the text has a UTF-8 encoding (JCS rejects the others).
 * `String.prototype.isWellFormed` (ES2024, native) is exactly that test, without a regex.
 */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function jsonProblem(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return typeof value === 'string' && !isWellFormed(value)
      ? `${path} contains a lone surrogate`
      : undefined;
  }
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${path} must be a finite number`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!isWellFormed(key)) return `${path} has a key with a lone surrogate`;
      const problem = jsonProblem(child, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return `${path} is not a JSON value`;
}
