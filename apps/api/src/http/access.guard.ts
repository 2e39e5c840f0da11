import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '@app/core';
import { CredentialResolver, mayCall, type Principal } from '@app/identity';
import { ACCESS, type Access } from './access.decorators.js';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const BEARER = /^Bearer ([A-Za-z0-9_-]{10,200})$/;
const BEARER_MALFORMED =
  'the bearer token is not valid: send "Authorization: Bearer <token>" with the session or API token as issued';

/** The one gate of the API: authenticates the bearer credential and applies the route's declared access. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) throw new Forbidden('this route declares no access rule', 'route_without_access');
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (access.kind === 'public' && (!access.identifiesCaller || header === undefined)) return true;
    if (header === undefined)
      throw new Unauthenticated('send "Authorization: Bearer <session or API token>"');
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw new Unauthenticated(BEARER_MALFORMED);
    const principal = await this.credentials.resolve(match[1]);
    request.principal = principal;

    if (access.kind !== 'public' && access.sessionOnly && principal.via !== 'session') {
      throw new Forbidden('API tokens cannot manage credentials; sign in', 'session_required');
    }
    const owesSecondFactor = !principal.secondFactorDone;
    if (owesSecondFactor && !(access.kind === 'authenticated' && access.beforeSecondFactor)) {
      throw new Forbidden('enrol and confirm TOTP first (POST /v1/auth/totp)', 'second_factor_required');
    }
    if (access.kind === 'authenticated' || access.kind === 'public') return true;
    if (!mayCall(principal, access.roles, !SAFE_METHODS.has(request.method))) {
      throw new Forbidden(`this route is for: ${access.roles.join(', ')}`);
    }
    return true;
  }
}
