import { defineEntity, p } from '@mikro-orm/core';

export const ROLES = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'] as const;
export type Role = (typeof ROLES)[number];
export const ORGANISATION_STATUSES = ['pending', 'admitted', 'rejected', 'suspended'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];
export type PartyKind = 'organisation' | 'person';

/** A party: an organisation (credit code) or a natural person acting for themself (resident ID number). */
export const OrganisationSchema = defineEntity({
  name: 'Organisation',
  tableName: 'organisations',
  properties: {
    id: p.string().primary().length(36),
    kind: p.string().$type<PartyKind>().length(16),
    name: p.string().length(200),
    /** Credit code in full (public registry data); a resident ID masked. */
    identifierDisplay: p.string().length(32),
    /** Keyed digest of kind and identifier: unique without keeping an ID number in clear. */
    identifierDigest: p.string().length(64).unique(),
    roles: p.json<Role[]>(),
    /** ISO 3166-1 alpha-2 code of where it is registered; 'CN' is mainland China (DS 38, 72 for the others). */
    registeredIn: p.string().length(2).default('CN'),
    status: p.string().$type<OrganisationStatus>().length(16),
    statusReason: p.string().length(500).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class Organisation extends OrganisationSchema.class {}
OrganisationSchema.setClass(Organisation);
