import { defineEntity, p } from '@mikro-orm/core';

/** A person's login, always inside one organisation. */
export const AccountSchema = defineEntity({
  name: 'Account',
  tableName: 'accounts',
  properties: {
    id: p.string().primary().length(36),
    organisationId: p.string().length(36).index(),
    username: p.string().length(64).unique(),
    displayName: p.string().length(200),
    /** May manage the organisation's accounts; the founding account is one. */
    isOrganisationAdmin: p.boolean(),
    passwordHash: p.string().length(200).hidden(),
    /** TOTP seed sealed with the application key; null until enrolment starts. */
    totpSecretSealed: p.string().length(300).nullable().hidden(),
    totpEnabled: p.boolean(),
    /** Last accepted TOTP time step: a code is good once. */
    totpLastStep: p.bigint('number').nullable(),
    failedLogins: p.integer(),
    lockedUntil: p.datetime().nullable(),
    disabled: p.boolean(),
    /** Hash of the one-time link an operator or regulator account redeems to set its own password. */
    enrolmentTokenHash: p.string().length(64).nullable().hidden(),
    enrolmentExpiresAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export class Account extends AccountSchema.class {}
AccountSchema.setClass(Account);

/** A new, enabled account without a second factor yet: the one shape every way of adding an account starts from. */
export function newAccountFields(fields: {
  id: string;
  organisationId: string;
  username: string;
  displayName: string;
  isOrganisationAdmin: boolean;
  passwordHash: string;
  createdAt: Date;
}) {
  return {
    ...fields,
    totpSecretSealed: null,
    totpEnabled: false,
    totpLastStep: null,
    failedLogins: 0,
    lockedUntil: null,
    disabled: false,
    enrolmentTokenHash: null,
    enrolmentExpiresAt: null,
  };
}
