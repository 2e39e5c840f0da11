import type { Role } from './entities/organisation.entity.js';

/** Who is calling, as every guard and use case sees it. */
export interface Principal {
  accountId: string;
  organisationId: string;
  /** Roles in force: the organisation's when admitted, narrowed to a token's scopes; none while not admitted. */
  roles: Role[];
  via: 'session' | 'token';
  /** For tokens: the roles it may write with. Sessions may write with every role in force. */
  writeRoles: Role[];
  /** False for an operator's or regulator's session until TOTP was given; such a session may only enrol. */
  secondFactorDone: boolean;
  credentialId: string;
}

/** Who did it, as the ledger records it: the calling account and its organisation. */
export const actorOf = (p: Pick<Principal, 'accountId' | 'organisationId'>) => ({
  accountId: p.accountId,
  organisationId: p.organisationId,
});

/** The exchange's operator and the regulators: they see every party's records and must use a second factor. */
export const OVERSEER_ROLES: readonly Role[] = ['operator', 'regulator'];
export const ROLES_NEEDING_SECOND_FACTOR: readonly Role[] = OVERSEER_ROLES;

/** Whether the caller acts as an overseer, who sees every party's records (others see only their own). */
export const isOverseer = (p: Pick<Principal, 'roles'>): boolean =>
  p.roles.some((r) => OVERSEER_ROLES.includes(r));

/** A token scope is `<role>:read` or `<role>:write`; write implies read. */
export const SCOPE_PATTERN = /^(merchant|buyer|operator|regulator|assessor):(read|write)$/;

export function rolesOfScopes(scopes: readonly string[]): { read: Role[]; write: Role[] } {
  const read = new Set<Role>();
  const write = new Set<Role>();
  for (const scope of scopes) {
    const [role, access] = scope.split(':') as [Role, 'read' | 'write'];
    read.add(role);
    if (access === 'write') write.add(role);
  }
  return { read: [...read], write: [...write] };
}

/**
 * Whether a principal may call a route open to `allowed` roles. `mutates` is true for anything but a read;
 * least privilege: a read-scoped token never changes anything.
 */
export function mayCall(principal: Principal, allowed: readonly Role[], mutates: boolean): boolean {
  const held = mutates ? principal.writeRoles : principal.roles;
  return held.some((role) => allowed.includes(role));
}
