import { SetMetadata } from '@nestjs/common';
import type { Role } from '@app/identity';

export const ACCESS = 'access';

/**
 * How a route may be reached. Every route declares one; the guard refuses routes that do not (deny by default).
 * - `public`: no credential.
 * - `authenticated`: any signed-in account, even of an organisation not yet admitted (its own profile, sign-out).
 * - `roles`: an admitted organisation holding one of the roles.
 * `beforeSecondFactor` lets a session that still owes its TOTP in (enrolment only); `sessionOnly` keeps API tokens
 * out of credential management.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated'; beforeSecondFactor?: boolean; sessionOnly?: boolean }
  | { kind: 'roles'; roles: Role[]; sessionOnly?: boolean };

export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS, { kind: 'public' } satisfies Access);

export const Authenticated = (options: { beforeSecondFactor?: boolean; sessionOnly?: boolean } = {}) =>
  SetMetadata(ACCESS, { kind: 'authenticated', ...options } satisfies Access);

export const Roles = (...roles: Role[]) => SetMetadata(ACCESS, { kind: 'roles', roles } satisfies Access);

export const RolesSessionOnly = (...roles: Role[]) =>
  SetMetadata(ACCESS, { kind: 'roles', roles, sessionOnly: true } satisfies Access);
