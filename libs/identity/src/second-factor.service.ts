import { Injectable } from '@nestjs/common';
import { Conflict, Unauthenticated } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { Account } from './entities/account.entity.js';
import { Session } from './entities/session.entity.js';
import { newTotpSecret, otpauthUri } from './credentials/totp.js';
import { AuthenticationService } from './authentication.service.js';
import { CredentialResolver } from './credential-resolver.js';
import type { Principal } from './principal.js';

/** TOTP enrolment (DS 67 asks operators and regulators for two factors). */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly auth: AuthenticationService,
    private readonly credentials: CredentialResolver,
  ) {}

  /**
   * Starts (or restarts) enrolment and returns the seed once, for the authenticator app; it is stored sealed.
   * An account whose TOTP is already on must not be able to replace it from a stolen password alone.
   */
  async enrol(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
    return this.uow.run(async (em) => {
      const account = await em.findOneOrFail(Account, { id: principal.accountId });
      if (account.totpEnabled) throw new Conflict('TOTP is already enabled for this account', 'totp_enabled');
      const secret = newTotpSecret();
      account.totpSecretSealed = this.auth.sealTotpSecret(account.id, secret);
      await em.flush();
      return { secret, otpauthUri: otpauthUri('Data Exchange', account.username, secret) };
    });
  }

  /** Turns TOTP on with a first good code, and completes the current session's second factor. */
  async confirm(principal: Principal, code: string): Promise<void> {
    const outcome = await this.uow.run(async (em, tx) => {
      const account = await em.findOneOrFail(Account, { id: principal.accountId });
      if (account.totpEnabled)
        return new Conflict('TOTP is already enabled for this account', 'totp_enabled');
      if (!account.totpSecretSealed) return new Conflict('start enrolment first', 'totp_not_enrolling');
      const step = this.auth.matchFreshTotp(account, code);
      if (step === null) return new Unauthenticated('wrong TOTP code', 'bad_totp');
      account.totpEnabled = true;
      account.totpLastStep = step;
      if (principal.via === 'session') {
        await em.nativeUpdate(Session, { id: principal.credentialId }, { secondFactorDone: true });
        tx.afterCommit(() => this.credentials.invalidate({ kind: 'credential', id: principal.credentialId }));
      }
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: { accountId: account.id, organisationId: account.organisationId },
          action: 'account.totpEnabled',
          subjectIds: [account.id],
          payload: {},
        },
      ]);
      return null;
    });
    if (outcome) throw outcome;
  }
}
