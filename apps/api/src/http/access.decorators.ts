import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from '@app/identity';

export const ACCESS = 'access';

/**
 * How a route may be reached. Every route declares one; the guard refuses routes that do not (deny by default).
 * - `public`: no credential. With `identifiesCaller`, a credential that is sent is still checked (401 when bad, 403
 *   while it owes its second factor) and the caller is known to the route (`OptionalPrincipal`); without one the
 *   route runs anonymously.
 * - `authenticated`: any signed-in account, even of an organisation not yet admitted (its own profile, sign-out).
 * - `roles`: an admitted organisation holding one of the roles.
 * `beforeSecondFactor` lets a session that still owes its TOTP in (enrolment only); `sessionOnly` keeps API tokens
 * out of credential management.
 */
export type Access =
  | { kind: 'public'; identifiesCaller?: boolean }
  | { kind: 'authenticated'; beforeSecondFactor?: boolean; sessionOnly?: boolean }
  | { kind: 'roles'; roles: Role[]; sessionOnly?: boolean };

/**
 * The access rule, and the same rule in the OpenAPI document: `x-access` says who may call the operation, and only
 * routes that need a credential carry the bearer security requirement (a public route carries none).
 */
function declare(access: Access): MethodDecorator & ClassDecorator {
  const decorators = [SetMetadata(ACCESS, access), ApiExtension('x-access', { ...access })];
  if (access.kind !== 'public') decorators.push(ApiBearerAuth());
  return applyDecorators(...decorators);
}

export const Public = (): MethodDecorator & ClassDecorator => declare({ kind: 'public' });

/** Public, and the caller is identified when it sends a credential (a complaint filed signed in or anonymously). */
export const PublicIdentified = (): MethodDecorator & ClassDecorator =>
  declare({ kind: 'public', identifiesCaller: true });

export const Authenticated = (options: { beforeSecondFactor?: boolean; sessionOnly?: boolean } = {}) =>
  declare({ kind: 'authenticated', ...options });

export const Roles = (...roles: Role[]) => declare({ kind: 'roles', roles });

export const RolesSessionOnly = (...roles: Role[]) => declare({ kind: 'roles', roles, sessionOnly: true });
