import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import {
  APP_CONFIG,
  Clock,
  Conflict,
  RateLimited,
  SecretBox,
  Unauthenticated,
  ValidationFailed,
  newId,
  newSecretToken,
  type AppConfig,
} from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { Account, newAccountFields } from './entities/account.entity.js';
import { Organisation, type PartyKind, type Role } from './entities/organisation.entity.js';
import { hashPassword } from './credentials/password-hasher.js';
import { AttemptThrottle } from './attempt-throttle.js';
import { ENROLMENT_PREFIX, hashToken } from './token-hash.js';
import { creditCodeProblem } from './identifiers/credit-code.js';
import { maskResidentId, residentIdProblem } from './identifiers/resident-id.js';

export interface NewParty {
  kind: PartyKind;
  name: string;
  /** Credit code for an organisation, resident ID number for a person. */
  identifier: string;
  roles: Role[];
  admin: { username: string; password: string; displayName: string };
  /** ISO 3166-1 alpha-2 code of where the party is registered; 'CN' (mainland China) when not given (DS 38, 72). */
  registeredIn?: string;
}

export interface Registered {
  organisation: Organisation;
  account: Account;
}

/** An operator or regulator body as the operator registers it: the person behind the account picks the password. */
export interface NewOverseer {
  name: string;
  creditCode: string;
  role: 'operator' | 'regulator';
  admin: { username: string; displayName: string };
}

/** How long an overseer's enrolment link stays valid. */
export const ENROLMENT_LINK_DAYS = 7;

/** Stands in for a password hash until enrolment: matches no password (login spends a decoy scrypt on it). */
const NO_PASSWORD = '!enrolment-pending';

/** Sign-up of organisations and people, and the bootstrap of operator and regulator bodies. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly throttle: AttemptThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Self sign-up: trading roles only, and the organisation waits for the operator's admission. Anonymous, and each
   * one costs a password hash and two permanent ledger entries, so it is throttled per client address.
   */
  async signUp(party: NewParty, clientAddress: string): Promise<Registered> {
    if (party.roles.some((r) => r === 'operator' || r === 'regulator')) {
      throw new ValidationFailed('roles: only merchant and buyer can be requested at sign-up');
    }
    if (party.kind === 'person' && party.roles.includes('merchant')) {
      throw new ValidationFailed(
        'roles: a natural person may be a buyer; merchants are organisations (DE 21)',
      );
    }
    const wait = await this.throttle.hit(
      { name: 'sign-up', limit: this.config.login.signUpsPerHour, windowSeconds: 3600 },
      [`ip:${clientAddress}`],
    );
    if (wait > 0) throw new RateLimited(`too many sign-ups from this address; try again in ${wait} s`, wait);
    return this.register(party, 'pending', null, await hashPassword(party.admin.password), null);
  }

  /**
   * The operator registers an operator or regulator body, admitted at once. The operator never learns a password:
   * the account gets a one-time enrolment link (returned once, valid ENROLMENT_LINK_DAYS days, stored as a hash)
   * that the person behind it redeems to choose their own password, and then enrols their own TOTP.
   */
  async registerOverseer(
    party: NewOverseer,
    actor: { accountId: string; organisationId: string },
  ): Promise<Registered & { enrolmentToken: string; enrolmentExpiresAt: Date }> {
    const enrolmentToken = newSecretToken(ENROLMENT_PREFIX);
    const enrolmentExpiresAt = new Date(this.clock.now().getTime() + ENROLMENT_LINK_DAYS * 86_400_000);
    const registered = await this.register(
      {
        kind: 'organisation',
        name: party.name,
        identifier: party.creditCode,
        roles: [party.role],
        admin: { ...party.admin, password: '' },
      },
      'admitted',
      actor,
      NO_PASSWORD,
      { tokenHash: hashToken(enrolmentToken), expiresAt: enrolmentExpiresAt },
    );
    return { ...registered, enrolmentToken, enrolmentExpiresAt };
  }

  /**
   * Redeems an overseer's enrolment link: sets the password its holder chose, once. The link is consumed by a
   * conditional update, so of two redemptions only one sets a password.
   */
  async redeemEnrolment(token: string, password: string): Promise<Account> {
    const tokenHash = hashToken(token);
    const refused = () =>
      new Unauthenticated(
        'this enrolment link is unknown, used or expired; ask the operator',
        'bad_enrolment_link',
      );
    const now = this.clock.now();
    const account = await this.uow.read((em) =>
      em.findOne(Account, { enrolmentTokenHash: tokenHash, enrolmentExpiresAt: { $gt: now } }),
    );
    if (!account) throw refused();
    const passwordHash = await hashPassword(password);
    return this.uow.run(async (em) => {
      const redeemed = await em.nativeUpdate(
        Account,
        { id: account.id, enrolmentTokenHash: tokenHash, enrolmentExpiresAt: { $gt: now } },
        { passwordHash, enrolmentTokenHash: null, enrolmentExpiresAt: null },
      );
      if (redeemed === 0) throw refused();
      await this.ledger.record(em, [
        {
          actor: { accountId: account.id, organisationId: account.organisationId },
          action: 'account.enrolled',
          subjectIds: [account.id],
          payload: {},
        },
      ]);
      return account;
    });
  }

  /**
   * Creates an organisation already admitted, for the operator's own bodies and regulators; `actor` is the operator
   * account doing it, or null for the command-line bootstrap.
   */
  async registerAdmitted(
    party: NewParty,
    actor: { accountId: string; organisationId: string } | null,
  ): Promise<Registered> {
    if (party.kind !== 'organisation')
      throw new ValidationFailed('kind: operators and regulators are organisations');
    return this.register(party, 'admitted', actor, await hashPassword(party.admin.password), null);
  }

  private async register(
    party: NewParty,
    status: 'pending' | 'admitted',
    actor: { accountId: string; organisationId: string } | null,
    passwordHash: string,
    enrolment: { tokenHash: string; expiresAt: Date } | null,
  ): Promise<Registered> {
    const { display, digest } = this.identify(party.kind, party.identifier);
    return this.uow.run(async (em) => {
      await this.ensureUnique(em, digest, party.admin.username);
      const now = this.clock.now();
      const organisation = em.create(Organisation, {
        id: newId(),
        kind: party.kind,
        name: party.name,
        identifierDisplay: display,
        identifierDigest: digest,
        roles: [...new Set(party.roles)],
        registeredIn: party.registeredIn ?? 'CN',
        status,
        statusReason: null,
        createdAt: now,
        updatedAt: now,
      });
      // Accounts reference organisations by a plain id column, so the ORM cannot order the inserts itself.
      await em.flush();
      const account = em.create(Account, {
        ...newAccountFields({
          id: newId(),
          organisationId: organisation.id,
          username: party.admin.username,
          displayName: party.admin.displayName,
          isOrganisationAdmin: true,
          passwordHash,
          createdAt: now,
        }),
        ...(enrolment
          ? { enrolmentTokenHash: enrolment.tokenHash, enrolmentExpiresAt: enrolment.expiresAt }
          : {}),
      });
      await em.flush();
      const who = actor ?? { accountId: account.id, organisationId: organisation.id };
      await this.ledger.record(em, [
        {
          actor: who,
          action: 'organisation.registered',
          subjectIds: [organisation.id],
          payload: {
            kind: party.kind,
            name: party.name,
            identifier: display,
            roles: organisation.roles,
            registeredIn: organisation.registeredIn,
            status,
          },
        },
        {
          actor: who,
          action: 'account.created',
          subjectIds: [account.id, organisation.id],
          payload: {
            username: account.username,
            organisationAdmin: true,
            ...(enrolment ? { enrolmentLinkExpiresAt: enrolment.expiresAt.toISOString() } : {}),
          },
        },
      ]);
      return { organisation, account };
    });
  }

  private identify(kind: PartyKind, raw: string): { display: string; digest: string } {
    const identifier = raw.trim().toUpperCase();
    if (kind === 'organisation') {
      const problem = creditCodeProblem(identifier);
      if (problem) throw new ValidationFailed(`creditCode ${problem}`, 'invalid_credit_code');
      return { display: identifier, digest: this.box.digest(identifier, 'credit-code') };
    }
    const problem = residentIdProblem(identifier, this.clock.now());
    if (problem) throw new ValidationFailed(`idNumber ${problem}`, 'invalid_id_number');
    return { display: maskResidentId(identifier), digest: this.box.digest(identifier, 'resident-id') };
  }

  private async ensureUnique(em: EntityManager, digest: string, username: string): Promise<void> {
    if (await em.count(Organisation, { identifierDigest: digest })) {
      throw new Conflict('a party with this identifier is already registered', 'party_exists');
    }
    if (await em.count(Account, { username })) throw new Conflict('username is taken', 'username_taken');
  }
}
