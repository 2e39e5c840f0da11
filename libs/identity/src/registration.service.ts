import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, SecretBox, ValidationFailed, newId } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { Account, newAccountFields } from './entities/account.entity.js';
import { Organisation, type PartyKind, type Role } from './entities/organisation.entity.js';
import { hashPassword } from './credentials/password-hasher.js';
import { creditCodeProblem } from './identifiers/credit-code.js';
import { maskResidentId, residentIdProblem } from './identifiers/resident-id.js';

export interface NewParty {
  kind: PartyKind;
  name: string;
  /** Credit code for an organisation, resident ID number for a person. */
  identifier: string;
  roles: Role[];
  admin: { username: string; password: string; displayName: string };
}

export interface Registered {
  organisation: Organisation;
  account: Account;
}

/** Sign-up of organisations and people, and the bootstrap of operator and regulator bodies. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly box: SecretBox,
  ) {}

  /** Self sign-up: trading roles only, and the organisation waits for the operator's admission. */
  async signUp(party: NewParty): Promise<Registered> {
    if (party.roles.some((r) => r === 'operator' || r === 'regulator')) {
      throw new ValidationFailed('roles: only merchant and buyer can be requested at sign-up');
    }
    if (party.kind === 'person' && party.roles.includes('merchant')) {
      throw new ValidationFailed(
        'roles: a natural person may be a buyer; merchants are organisations (DE 21)',
      );
    }
    return this.register(party, 'pending', null);
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
    return this.register(party, 'admitted', actor);
  }

  private async register(
    party: NewParty,
    status: 'pending' | 'admitted',
    actor: { accountId: string; organisationId: string } | null,
  ): Promise<Registered> {
    const { display, digest } = this.identify(party.kind, party.identifier);
    const passwordHash = await hashPassword(party.admin.password);
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
        status,
        statusReason: null,
        createdAt: now,
        updatedAt: now,
      });
      // Accounts reference organisations by a plain id column, so the ORM cannot order the inserts itself.
      await em.flush();
      const account = em.create(
        Account,
        newAccountFields({
          id: newId(),
          organisationId: organisation.id,
          username: party.admin.username,
          displayName: party.admin.displayName,
          isOrganisationAdmin: true,
          passwordHash,
          createdAt: now,
        }),
      );
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
            status,
          },
        },
        {
          actor: who,
          action: 'account.created',
          subjectIds: [account.id, organisation.id],
          payload: { username: account.username, organisationAdmin: true },
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
