import type { Account, ApiToken, Organisation, Principal } from '@app/identity';

/** What the API shows of its records: explicit fields, never an entity as it is stored. */
export const organisationView = (o: Organisation) => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  identifier: o.identifierDisplay,
  roles: o.roles,
  status: o.status,
  statusReason: o.statusReason ?? null,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export const accountView = (a: Account) => ({
  id: a.id,
  organisationId: a.organisationId,
  username: a.username,
  displayName: a.displayName,
  organisationAdmin: a.isOrganisationAdmin,
  totpEnabled: a.totpEnabled,
});

export const apiTokenView = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export const principalView = (p: Principal) => ({
  accountId: p.accountId,
  organisationId: p.organisationId,
  roles: p.roles,
  writeRoles: p.writeRoles,
  via: p.via,
  secondFactorDone: p.secondFactorDone,
});
