import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@app/identity';
import type { AuthenticatedRequest } from './access.guard.js';

/** The principal the AccessGuard resolved; only on routes that are not public. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** The caller on a `PublicIdentified` route: its principal when it sent a valid credential, else null. */
export const OptionalPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | null =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal ?? null,
);
