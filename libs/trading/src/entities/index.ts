import { ContractSchema } from './contract.entity.js';
import { DeliveryFileSchema } from './delivery-file.entity.js';
import { DisputeSchema } from './dispute.entity.js';
import { NegotiationSchema, NegotiationVersionSchema } from './negotiation.entity.js';
import { SigningAddressSchema } from './signing-address.entity.js';
import { SigningChallengeSchema } from './signing-challenge.entity.js';

export * from './contract.entity.js';
export * from './delivery-file.entity.js';
export * from './dispute.entity.js';
export * from './negotiation.entity.js';
export * from './signing-address.entity.js';
export * from './signing-challenge.entity.js';

export const TRADING_ENTITIES = [
  NegotiationSchema,
  NegotiationVersionSchema,
  ContractSchema,
  SigningAddressSchema,
  SigningChallengeSchema,
  DisputeSchema,
  DeliveryFileSchema,
];
