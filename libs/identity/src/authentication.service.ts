import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import {
  APP_CONFIG,
  Clock,
  Locked,
  RateLimited,
  SecretBox,
  Unauthenticated,
  newId,
  newSecretToken,
  type AppConfig,
} from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { CredentialResolver } from './credential-resolver.js';
import { Account } from './entities/account.entity.js';
import { Organisation, type Role } from './entities/organisation.entity.js';
import { Session } from './entities/session.entity.js';
import { decoyPasswordHash, verifyPassword } from './credentials/password-hasher.js';
import { matchTotp } from './credentials/totp.js';
import { LoginThrottle } from './login-throttle.js';
import { ROLES_NEEDING_SECOND_FACTOR, rolesOfScopes, type Principal } from './principal.js';
import { SESSION_PREFIX, hashToken } from './token-hash.js';

export interface LoginRequest {
  username: string;
  password: string;
  totp?: string;
  clientAddress: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  /** False when the account must still enrol or give its second factor before doing anything else. */
  secondFactorDone: boolean;
  principal: Principal;
}

type Outcome = { ok: true; result: LoginResult } | { ok: false; error: Error };

const TOTP_CONTEXT = (accountId: string): string => `totp:${accountId}`;

@Injectable()
export class AuthenticationService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: CredentialResolver,
  ) {
    this.throttle = new LoginThrottle(config.login.attemptsPerMinute, () => this.clock.now().getTime());
  }

  /**
   * Password login. Failures are counted in the same transaction that refuses them, so the lock-out survives a
   * restart; the refusal is thrown after that commit.
   */
  async login(request: LoginRequest): Promise<LoginResult> {
    const wait = Math.max(
      this.throttle.hit(`ip:${request.clientAddress}`),
      this.throttle.hit(`user:${request.username}`),
    );
    if (wait > 0) throw new RateLimited(`too many login attempts; try again in ${wait} s`, wait);
    const outcome = await this.uow.run((em) => this.attempt(em, request));
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  private async attempt(em: EntityManager, request: LoginRequest): Promise<Outcome> {
    const refused = {
      ok: false,
      error: new Unauthenticated('wrong username or password', 'bad_credentials'),
    } as const;
    const account = await em.findOne(Account, { username: request.username });
    if (!account || account.disabled) {
      await verifyPassword(request.password, await decoyPasswordHash());
      return refused;
    }
    const now = this.clock.now();
    if (account.lockedUntil && account.lockedUntil > now) {
      return {
        ok: false,
        error: new Locked(`account locked until ${account.lockedUntil.toISOString()}`, 'account_locked'),
      };
    }
    const organisation = await em.findOneOrFail(Organisation, { id: account.organisationId });
    const actor = { accountId: account.id, organisationId: account.organisationId };
    if (!(await verifyPassword(request.password, account.passwordHash))) {
      return (await this.registerFailure(em, account, now)) ?? refused;
    }
    const needsSecondFactor = organisation.roles.some((r) => ROLES_NEEDING_SECOND_FACTOR.includes(r));
    let secondFactorDone = !needsSecondFactor;
    if (needsSecondFactor && account.totpEnabled) {
      if (!request.totp) {
        return {
          ok: false,
          error: new Unauthenticated('this account needs its TOTP code (totp)', 'totp_required'),
        };
      }
      const step = this.matchFreshTotp(account, request.totp);
      if (step === null) {
        const wrongCode = {
          ok: false,
          error: new Unauthenticated('wrong or reused TOTP code', 'bad_totp'),
        } as const;
        return (await this.registerFailure(em, account, now)) ?? wrongCode;
      }
      account.totpLastStep = step;
      secondFactorDone = true;
    }
    account.failedLogins = 0;
    account.lockedUntil = null;
    const token = newSecretToken(SESSION_PREFIX);
    const session = em.create(Session, {
      id: newId(),
      accountId: account.id,
      tokenHash: hashToken(token),
      secondFactorDone,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000),
      revokedAt: null,
    });
    await em.flush();
    await this.ledger.record(em, [
      {
        actor,
        action: 'session.started',
        subjectIds: [account.id, session.id],
        payload: { secondFactor: secondFactorDone },
      },
    ]);
    const principal = this.principalOf(account, organisation, {
      via: 'session',
      id: session.id,
      secondFactorDone,
    });
    return { ok: true, result: { token, expiresAt: session.expiresAt, secondFactorDone, principal } };
  }

  /**
   * Counts a wrong password or TOTP code alike, so a stolen password does not buy unlimited code guesses; at the
   * limit the account locks and the lock is a ledger entry. Returns the lock-out refusal, or null below the limit.
   */
  private async registerFailure(em: EntityManager, account: Account, now: Date): Promise<Outcome | null> {
    account.failedLogins += 1;
    if (account.failedLogins < this.config.login.maxFailures) {
      await em.flush();
      return null;
    }
    account.lockedUntil = new Date(now.getTime() + this.config.login.lockMinutes * 60_000);
    account.failedLogins = 0;
    await em.flush();
    await this.ledger.record(em, [
      {
        actor: { accountId: account.id, organisationId: account.organisationId },
        action: 'account.locked',
        subjectIds: [account.id],
        payload: { until: account.lockedUntil.toISOString() },
      },
    ]);
    return { ok: false, error: new Locked('too many failed logins; account locked', 'account_locked') };
  }

  /** Returns the matching time step, or null for a wrong code or one already used. */
  matchFreshTotp(account: Account, code: string): number | null {
    if (!account.totpSecretSealed) return null;
    const secret = this.box.open(account.totpSecretSealed, TOTP_CONTEXT(account.id));
    const step = matchTotp(secret, code, this.clock.now());
    if (step === null || (account.totpLastStep != null && step <= account.totpLastStep)) return null;
    return step;
  }

  sealTotpSecret(accountId: string, secret: string): string {
    return this.box.seal(secret, TOTP_CONTEXT(accountId));
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.via !== 'session') return;
    await this.uow.run(async (em, tx) => {
      await em.nativeUpdate(Session, { id: principal.credentialId }, { revokedAt: this.clock.now() });
      tx.afterCommit(() => this.credentials.invalidate({ kind: 'credential', id: principal.credentialId }));
      await this.ledger.record(em, [
        {
          actor: { accountId: principal.accountId, organisationId: principal.organisationId },
          action: 'session.ended',
          subjectIds: [principal.accountId, principal.credentialId],
          payload: {},
        },
      ]);
    });
  }

  private principalOf(
    account: Account,
    organisation: Organisation,
    credential: { via: 'session' | 'token'; id: string; secondFactorDone: boolean; scopes?: string[] },
  ): Principal {
    const inForce: Role[] = organisation.status === 'admitted' ? organisation.roles : [];
    let roles = inForce;
    let writeRoles = inForce;
    if (credential.scopes) {
      const scoped = rolesOfScopes(credential.scopes);
      roles = inForce.filter((r) => scoped.read.includes(r));
      writeRoles = inForce.filter((r) => scoped.write.includes(r));
    }
    return {
      accountId: account.id,
      organisationId: organisation.id,
      roles,
      writeRoles,
      via: credential.via,
      secondFactorDone: credential.secondFactorDone,
      credentialId: credential.id,
    };
  }
}
