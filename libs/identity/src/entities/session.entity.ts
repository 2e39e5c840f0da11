import { defineEntity, p } from '@mikro-orm/core';

/** A bearer session from a password login. Only a hash of the token is kept. */
export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary().length(36),
    accountId: p.string().length(36).index(),
    tokenHash: p.string().length(64).unique().hidden(),
    /** False until a required second factor was given: such a session may only enrol TOTP. */
    secondFactorDone: p.boolean(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
