import { actorOf } from './principal.js';
import { Injectable } from '@nestjs/common';
import { Clock, Forbidden, NotFound, ValidationFailed, newId, newSecretToken } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { CredentialResolver } from './credential-resolver.js';
import { ApiToken } from './entities/api-token.entity.js';
import { Organisation } from './entities/organisation.entity.js';
import { ROLES_NEEDING_SECOND_FACTOR, SCOPE_PATTERN, type Principal } from './principal.js';
import { API_TOKEN_PREFIX, hashToken } from './token-hash.js';

export interface NewApiToken {
  name: string;
  scopes: string[];
  expiresInDays?: number;
}

/**
 * The longest an operator or regulator token may live. Such a token acts without the TOTP its holder's sessions
 * need, so it must expire: a forgotten one stops working within this many days.
 */
export const OVERSEER_TOKEN_MAX_DAYS = 30;

/** Programmes' credentials. The secret is returned once, at creation, and kept only as a hash. */
@Injectable()
export class ApiTokenService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly credentials: CredentialResolver,
  ) {}

  async create(principal: Principal, request: NewApiToken): Promise<{ token: string; record: ApiToken }> {
    const bad = request.scopes.find((s) => !SCOPE_PATTERN.test(s));
    if (bad !== undefined) throw new ValidationFailed(`scopes: "${bad}" is not <role>:read or <role>:write`);
    const overseer = request.scopes.find((s) =>
      ROLES_NEEDING_SECOND_FACTOR.includes(s.split(':')[0] as never),
    );
    if (
      overseer !== undefined &&
      (request.expiresInDays === undefined || request.expiresInDays > OVERSEER_TOKEN_MAX_DAYS)
    ) {
      throw new ValidationFailed(
        `expiresInDays: a token with scope "${overseer}" must expire within ${OVERSEER_TOKEN_MAX_DAYS} days; ` +
          `give expiresInDays from 1 to ${OVERSEER_TOKEN_MAX_DAYS}`,
        'token_expiry_required',
      );
    }
    return this.uow.run(async (em) => {
      const organisation = await em.findOneOrFail(Organisation, { id: principal.organisationId });
      if (organisation.status !== 'admitted') {
        throw new Forbidden(
          `API tokens wait for admission; the organisation is ${organisation.status}`,
          'organisation_not_admitted',
        );
      }
      const beyond = request.scopes.find((s) => !organisation.roles.includes(s.split(':')[0] as never));
      if (beyond !== undefined) {
        throw new ValidationFailed(
          `scopes: "${beyond}" is beyond the organisation's roles (${organisation.roles.join(', ')})`,
        );
      }
      const now = this.clock.now();
      const token = newSecretToken(API_TOKEN_PREFIX);
      const record = em.create(ApiToken, {
        id: newId(),
        accountId: principal.accountId,
        name: request.name,
        prefix: token.slice(0, 12),
        tokenHash: hashToken(token),
        scopes: [...new Set(request.scopes)].sort(),
        createdAt: now,
        expiresAt: request.expiresInDays
          ? new Date(now.getTime() + request.expiresInDays * 86_400_000)
          : null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'apiToken.created',
          subjectIds: [record.id, principal.accountId],
          payload: {
            name: record.name,
            scopes: record.scopes,
            expiresAt: record.expiresAt?.toISOString() ?? null,
          },
        },
      ]);
      return { token, record };
    });
  }

  list(principal: Principal): Promise<ApiToken[]> {
    return this.uow.read((em) =>
      em.find(ApiToken, { accountId: principal.accountId }, { orderBy: { createdAt: 'desc', id: 'asc' } }),
    );
  }

  /** Revokes one of the caller's own tokens; anyone else's is "not found". */
  async revoke(principal: Principal, id: string): Promise<ApiToken> {
    return this.uow.run(async (em, tx) => {
      const record = await em.findOne(ApiToken, { id, accountId: principal.accountId });
      if (!record) throw new NotFound('API token');
      if (record.revokedAt) return record;
      record.revokedAt = this.clock.now();
      tx.afterCommit(() => this.credentials.invalidate({ kind: 'credential', id: record.id }));
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'apiToken.revoked',
          subjectIds: [record.id, principal.accountId],
          payload: { name: record.name },
        },
      ]);
      return record;
    });
  }
}
