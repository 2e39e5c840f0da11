import { ValidationFailed } from '@app/core';
import type { Principal } from '@app/identity';

/** The `Idempotency-Key` header of every money-moving route (settlement's and a contract's funding). */

/** Visible ASCII, 1 to 100 characters: what Stripe-style clients send (UUIDs, ULIDs, order numbers). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description:
    'required: a retry with the same key returns the first result (`replayed: true`, header ' +
    '`Idempotent-Replayed: true`); the same key with other parameters is refused (422 idempotency_key_reused). ' +
    '1 to 100 visible ASCII characters; scoped to the calling organisation.',
};

/** The caller's key, scoped to its organisation so two callers' keys never meet. */
export function scopedKey(principal: Principal, header: string | undefined): string {
  if (header === undefined || header === '')
    throw new ValidationFailed(
      'send an Idempotency-Key header (1 to 100 visible ASCII characters, e.g. a UUID) so a retry cannot move money twice',
      'idempotency_key_required',
    );
  if (!IDEMPOTENCY_KEY.test(header))
    throw new ValidationFailed(
      'Idempotency-Key must be 1 to 100 visible ASCII characters (no spaces), and given once',
      'idempotency_key_invalid',
    );
  return `org:${principal.organisationId}/${header}`;
}
