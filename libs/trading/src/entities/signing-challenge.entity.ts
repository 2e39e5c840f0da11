import { defineEntity, p } from '@mikro-orm/core';

/**
 * A challenge the exchange issued to an organisation for registering a signing address: the exact text to sign,
 * its expiry, and when it was used. Each is used at most once (a conditional update on `usedAt`), so a signature
 * over it cannot be replayed.
 */
export const SigningChallengeSchema = defineEntity({
  name: 'SigningChallenge',
  tableName: 'signing_challenges',
  properties: {
    /** 32 hex digits of a random 128-bit nonce; also written in the message. */
    nonce: p.string().primary().length(32),
    organisationId: p.string().length(36),
    issuedToAccountId: p.string().length(36),
    message: p.string().length(1000),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export class SigningChallenge extends SigningChallengeSchema.class {}
SigningChallengeSchema.setClass(SigningChallenge);
