import { actorOf } from './principal.js';
import { Inject, Injectable } from '@nestjs/common';
import { raw } from '@mikro-orm/core';
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
import { UnitOfWork, type CommittedRefusal, type Transaction } from '@app/database';
import { CredentialResolver, principalFor } from './credential-resolver.js';
import { Account } from './entities/account.entity.js';
import { Organisation } from './entities/organisation.entity.js';
import { Session } from './entities/session.entity.js';
import { decoyPasswordHash, verifyPassword } from './credentials/password-hasher.js';
import { matchTotp } from './credentials/totp.js';
import { AttemptThrottle } from './attempt-throttle.js';
import { ROLES_NEEDING_SECOND_FACTOR, type Principal } from './principal.js';
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

const TOTP_CONTEXT = (accountId: string): string => `totp:${accountId}`;

/**
 * The one answer to every failed sign-in (unknown user, wrong password, missing, wrong or reused TOTP code), so
 * the answer never confirms a password or an account.
 */
export const badCredentials = (): Unauthenticated =>
  new Unauthenticated(
    'sign-in failed: check the username and password and, for an operator or regulator account, give the ' +
      'current TOTP code; repeated failures lock the account for a while',
    'bad_credentials',
  );

/** Not locked at `now`: the condition every sign-in update carries, so a lock set meanwhile is never overrun. */
const notLocked = (now: Date) => ({ $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] });

@Injectable()
export class AuthenticationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly throttle: AttemptThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: CredentialResolver,
  ) {}

  /**
   * Password login. The password is checked before any transaction opens (scrypt takes ~100 ms and must not hold a
   * connection); the transaction then claims the sign-in with conditional updates, so parallel attempts can neither
   * outrun the lock-out nor spend one TOTP code twice. Failures are counted in the transaction that refuses them,
   * and the refusal is thrown after that commit.
   */
  async login(request: LoginRequest): Promise<LoginResult> {
    const wait = await this.throttle.hit(
      { name: 'login', limit: this.config.login.attemptsPerMinute, windowSeconds: 60 },
      [`ip:${request.clientAddress}`, `user:${request.username}`],
    );
    if (wait > 0) throw new RateLimited(`too many login attempts; try again in ${wait} s`, wait);
    const found = await this.uow.read(async (em) => {
      const account = await em.findOne(Account, { username: request.username });
      if (!account || account.disabled) return null;
      return { account, organisation: await em.findOneOrFail(Organisation, { id: account.organisationId }) };
    });
    const stored = found?.account.passwordHash;
    // Unknown accounts and accounts still waiting for enrolment spend the same scrypt as a real check.
    const usable = stored?.startsWith('scrypt$') ? stored : await decoyPasswordHash();
    if (found && this.lockedAt(found.account, this.clock.now()))
      throw this.lockedError(found.account.lockedUntil!);
    const passwordOk = (await verifyPassword(request.password, usable)) && usable === stored;
    if (!found) throw badCredentials();
    const { account, organisation } = found;
    const needsSecondFactor = organisation.roles.some((r) => ROLES_NEEDING_SECOND_FACTOR.includes(r));
    let step: number | null = null;
    let ok = passwordOk;
    if (ok && needsSecondFactor && account.totpEnabled) {
      step = request.totp ? this.matchFreshTotp(account, request.totp) : null;
      ok = step !== null;
    }
    const secondFactorDone = !needsSecondFactor || step !== null;
    const now = this.clock.now();
    return this.uow.run(async (em, tx) => {
      if (!ok) return this.registerFailure(em, tx, account, now);
      const claimed = await em.nativeUpdate(
        Account,
        {
          id: account.id,
          disabled: false,
          $and: [
            notLocked(now),
            ...(step === null ? [] : [{ $or: [{ totpLastStep: null }, { totpLastStep: { $lt: step } }] }]),
          ],
        },
        { failedLogins: 0, ...(step === null ? {} : { totpLastStep: step }) },
      );
      // Locked meanwhile, or a parallel sign-in spent this TOTP code first: a failure like any other.
      if (claimed === 0) return this.registerFailure(em, tx, account, now);
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
          actor: { accountId: account.id, organisationId: account.organisationId },
          action: 'session.started',
          subjectIds: [account.id, session.id],
          payload: { secondFactor: secondFactorDone },
        },
      ]);
      const principal = principalFor({
        accountId: account.id,
        organisationId: organisation.id,
        roles: organisation.roles,
        status: organisation.status,
        via: 'session',
        credentialId: session.id,
        secondFactorDone,
      });
      return { token, expiresAt: session.expiresAt, secondFactorDone, principal };
    });
  }

  /**
   * Counts a wrong password or TOTP code alike (and a missing one), so a stolen password does not buy unlimited
   * code guesses and the count does not tell which part was wrong. The count is a conditional increment of the
   * stored value; the increment that reaches the limit locks the account, once, with a ledger entry.
   */
  private async registerFailure(
    em: EntityManager,
    tx: Transaction,
    account: Account,
    now: Date,
  ): Promise<CommittedRefusal> {
    const counted = await em.nativeUpdate(
      Account,
      { id: account.id, ...notLocked(now) },
      { failedLogins: raw<number>('failed_logins + 1') },
    );
    if (counted === 0) {
      const current = await em.findOneOrFail(Account, { id: account.id }, { refresh: true });
      return tx.refuseAfterCommit(this.lockedError(current.lockedUntil ?? now));
    }
    const until = new Date(now.getTime() + this.config.login.lockMinutes * 60_000);
    const locked = await em.nativeUpdate(
      Account,
      { id: account.id, failedLogins: { $gte: this.config.login.maxFailures } },
      { failedLogins: 0, lockedUntil: until },
    );
    if (locked === 0) return tx.refuseAfterCommit(badCredentials());
    await this.ledger.record(em, [
      {
        actor: { accountId: account.id, organisationId: account.organisationId },
        action: 'account.locked',
        subjectIds: [account.id],
        payload: { until: until.toISOString() },
      },
    ]);
    return tx.refuseAfterCommit(this.lockedError(until));
  }

  private lockedAt(account: Account, now: Date): boolean {
    return account.lockedUntil !== null && account.lockedUntil !== undefined && account.lockedUntil > now;
  }

  /** The same for a right or a wrong password: the lock is checked before the password means anything. */
  private lockedError(until: Date): Locked {
    return new Locked(
      `too many failed sign-ins; the account is locked until ${until.toISOString()}`,
      'account_locked',
    );
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
          actor: actorOf(principal),
          action: 'session.ended',
          subjectIds: [principal.accountId, principal.credentialId],
          payload: {},
        },
      ]);
    });
  }
}
