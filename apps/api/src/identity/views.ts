import type { Account, ApiToken, OrganisationRecord, Principal } from '@app/identity';
import type { AccountResponse } from './dto/account.response.js';
import type { ApiTokenResponse } from './dto/api-token.response.js';
import type { PrincipalResponse } from './dto/auth.response.js';
import type { OrganisationResponse } from './dto/organisation.response.js';

/** What the API shows of its records: explicit fields, never an entity as it is stored. */
export const organisationView = (o: OrganisationRecord): OrganisationResponse => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  identifier: o.identifierDisplay,
  roles: o.roles,
  registeredIn: o.registeredIn,
  status: o.status,
  statusReason: o.statusReason ?? null,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export const accountView = (a: Account): AccountResponse => ({
  id: a.id,
  organisationId: a.organisationId,
  username: a.username,
  displayName: a.displayName,
  organisationAdmin: a.isOrganisationAdmin,
  totpEnabled: a.totpEnabled,
});

export const apiTokenView = (t: ApiToken): ApiTokenResponse => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export const principalView = (p: Principal): PrincipalResponse => ({
  accountId: p.accountId,
  organisationId: p.organisationId,
  roles: p.roles,
  writeRoles: p.writeRoles,
  via: p.via,
  secondFactorDone: p.secondFactorDone,
});
