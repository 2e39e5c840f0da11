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
   * An account whose TOTP is already on must not be able to replace it from a stolen password alone: the seed is
   * written only where TOTP is still off, in the same statement that checks it.
   */
  async enrol(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
    return this.uow.run(async (em) => {
      const account = await em.findOneOrFail(Account, { id: principal.accountId });
      const secret = newTotpSecret();
      const written = await em.nativeUpdate(
        Account,
        { id: account.id, totpEnabled: false },
        { totpSecretSealed: this.auth.sealTotpSecret(account.id, secret) },
      );
      if (written === 0) throw new Conflict('TOTP is already enabled for this account', 'totp_enabled');
      return { secret, otpauthUri: otpauthUri('Data Exchange', account.username, secret) };
    });
  }

  /**
   * Turns TOTP on with a first good code, and completes the current session's second factor. The switch is
   * conditional on TOTP still being off and on the seed the code was checked against, so a parallel confirmation
   * or a restarted enrolment cannot slip in between. Refusals change nothing, so they are plain throws.
   */
  async confirm(principal: Principal, code: string): Promise<void> {
    await this.uow.run(async (em, tx) => {
      const account = await em.findOneOrFail(Account, { id: principal.accountId });
      if (account.totpEnabled) throw new Conflict('TOTP is already enabled for this account', 'totp_enabled');
      if (!account.totpSecretSealed) throw new Conflict('start enrolment first', 'totp_not_enrolling');
      const step = this.auth.matchFreshTotp(account, code);
      if (step === null) throw new Unauthenticated('wrong TOTP code', 'bad_totp');
      const switched = await em.nativeUpdate(
        Account,
        { id: account.id, totpEnabled: false, totpSecretSealed: account.totpSecretSealed },
        { totpEnabled: true, totpLastStep: step },
      );
      if (switched === 0) {
        throw new Conflict('TOTP was enabled or re-enrolled meanwhile; start again', 'totp_enabled');
      }
      if (principal.via === 'session') {
        await em.nativeUpdate(Session, { id: principal.credentialId }, { secondFactorDone: true });
        tx.afterCommit(() => this.credentials.invalidate({ kind: 'credential', id: principal.credentialId }));
      }
      await this.ledger.record(em, [
        {
          actor: { accountId: account.id, organisationId: account.organisationId },
          action: 'account.totpEnabled',
          subjectIds: [account.id],
          payload: {},
        },
      ]);
    });
  }
}
