import { defineEntity, p } from '@mikro-orm/core';

/** The address an organisation signs contracts with, registered by signing a challenge (proof of possession). */
export const SigningAddressSchema = defineEntity({
  name: 'SigningAddress',
  tableName: 'signing_addresses',
  properties: {
    organisationId: p.string().primary().length(36),
    /** Checksummed (EIP-55). */
    address: p.string().length(42),
    registeredByAccountId: p.string().length(36),
    registeredAt: p.datetime(),
  },
});
export class SigningAddress extends SigningAddressSchema.class {}
SigningAddressSchema.setClass(SigningAddress);
