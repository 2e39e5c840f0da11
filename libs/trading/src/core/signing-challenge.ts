import { Signature, getAddress, verifyMessage } from 'ethers';

/** How long a signing-address challenge may be signed and sent back. */
export const SIGNING_CHALLENGE_TTL_MS = 10 * 60 * 1000;

/** Open challenges an organisation may hold at once; issuing another drops the oldest. */
export const MAX_OPEN_CHALLENGES = 10;

export interface SigningChallengeFacts {
  organisationId: string;
  organisationName: string;
  /** 32 hex digits: a random 128-bit nonce. */
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * The text an organisation signs (EIP-191 `personal_sign`) to prove it holds the key of the address it registers.
 * It names the exchange's purpose, the organisation, a random nonce and the expiry, so a signature over it cannot
 * be taken for a contract signature (that is EIP-712 typed data, another domain), for another organisation, or
 * reused after its expiry. The organisation's name is on its own line for the person who reads it before signing.
 */
export function signingChallengeMessage(c: SigningChallengeFacts): string {
  const name = c.organisationName.replace(/[\r\n]+/g, ' ');
  return [
    '数据交易所 · 签约地址登记 / Data exchange: register a signing address',
    '',
    'Signing this text proves that I hold the key of the address I register, and makes it the address',
    `the organisation "${name}" signs its data contracts with.`,
    '',
    `organisation: ${c.organisationId}`,
    `nonce: ${c.nonce}`,
    `issued at: ${c.issuedAt.toISOString()}`,
    `expires at: ${c.expiresAt.toISOString()}`,
  ].join('\n');
}

/** Why a recorded challenge cannot be used now, as a stable code and a sentence; null when it can. */
export interface ChallengeRefusal {
  code: 'challenge_expired' | 'challenge_used' | 'challenge_other_organisation';
  reason: string;
}

/**
 * Whether a challenge the exchange issued may register an address for `organisationId` at `now`: issued to that
 * organisation, not expired, not used. Pure; the caller still marks it used by a conditional update.
 */
export function challengeRefusal(
  challenge: { organisationId: string; expiresAt: Date; usedAt: Date | null | undefined },
  organisationId: string,
  now: Date,
): ChallengeRefusal | null {
  if (challenge.organisationId !== organisationId)
    return {
      code: 'challenge_other_organisation',
      reason:
        'the challenge was issued to another organisation; fetch your own from GET /v1/signing-address/challenge',
    };
  if (challenge.usedAt)
    return {
      code: 'challenge_used',
      reason: `the challenge was already used at ${challenge.usedAt.toISOString()}; fetch a new one`,
    };
  if (now.getTime() >= challenge.expiresAt.getTime())
    return {
      code: 'challenge_expired',
      reason: `the challenge expired at ${challenge.expiresAt.toISOString()}; fetch a new one`,
    };
  return null;
}

/**
 * A 65-byte signature as 0x + 130 lower-case hex (r, s, v with v 27 or 28), from either that form or the 64-byte
 * EIP-2098 compact form; null when `signature` is not a well-formed secp256k1 signature (bad length, s in the upper
 * half, r or s out of range).
 */
export function normaliseSignature(signature: string): string | null {
  if (!/^0x(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/.test(signature)) return null;
  try {
    return Signature.from(signature).serialized.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The checksummed address whose key made `signature` as an EIP-191 personal signature over `message`, or null when
 * the signature is malformed. Any other message or key recovers some other address.
 */
export function recoverPersonalSigner(message: string, signature: string): string | null {
  try {
    return getAddress(verifyMessage(message, signature));
  } catch {
    return null;
  }
}
