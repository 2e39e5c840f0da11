import { defineEntity, p } from '@mikro-orm/core';

/** The X25519 public key a buyer's organisation has released results sealed to; one per organisation. */
export const ResultKeySchema = defineEntity({
  name: 'ResultKey',
  tableName: 'result_keys',
  properties: {
    organisationId: p.string().primary().length(36),
    /** Raw 32-byte X25519 public key, base64url without padding (43 characters). */
    publicKey: p.string().length(43),
    /** `x25519:` and the SHA-256 (hex) of the raw key; named in every envelope sealed to it. */
    keyId: p.string().length(71),
    registeredByAccountId: p.string().length(36),
    registeredAt: p.datetime(),
  },
});
export class ResultKey extends ResultKeySchema.class {}
ResultKeySchema.setClass(ResultKey);

export const RESULT_ENTITIES = [ResultKeySchema];
