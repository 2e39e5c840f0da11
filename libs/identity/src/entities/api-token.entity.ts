import { defineEntity, p } from '@mikro-orm/core';

/** A programme's credential: scoped, shown once, stored hashed, revocable. */
export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.string().primary().length(36),
    accountId: p.string().length(36).index(),
    name: p.string().length(100),
    /** The first characters, so a person can tell tokens apart without the secret. */
    prefix: p.string().length(16),
    tokenHash: p.string().length(64).unique().hidden(),
    scopes: p.json<string[]>(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);
