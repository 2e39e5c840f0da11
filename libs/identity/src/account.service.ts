import { Injectable } from '@nestjs/common';
import { Clock, Conflict, Forbidden, newId } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { Account, newAccountFields } from './entities/account.entity.js';
import { Organisation } from './entities/organisation.entity.js';
import { hashPassword } from './credentials/password-hasher.js';
import type { Principal } from './principal.js';

export interface NewMember {
  username: string;
  password: string;
  displayName: string;
}

/** The people of an organisation: its admins add members; everyone acts within the organisation's roles. */
@Injectable()
export class AccountService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  async addMember(principal: Principal, member: NewMember): Promise<Account> {
    const passwordHash = await hashPassword(member.password);
    return this.uow.run(async (em) => {
      const admin = await em.findOneOrFail(Account, { id: principal.accountId });
      if (!admin.isOrganisationAdmin)
        throw new Forbidden("only an organisation's admins add its accounts", 'not_organisation_admin');
      const organisation = await em.findOneOrFail(Organisation, { id: admin.organisationId });
      if (organisation.status !== 'admitted') {
        throw new Forbidden(
          `accounts wait for admission; the organisation is ${organisation.status}`,
          'organisation_not_admitted',
        );
      }
      if (await em.count(Account, { username: member.username }))
        throw new Conflict('username is taken', 'username_taken');
      const account = em.create(
        Account,
        newAccountFields({
          id: newId(),
          organisationId: admin.organisationId,
          username: member.username,
          displayName: member.displayName,
          isOrganisationAdmin: false,
          passwordHash,
          createdAt: this.clock.now(),
        }),
      );
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: { accountId: admin.id, organisationId: admin.organisationId },
          action: 'account.created',
          subjectIds: [account.id, admin.organisationId],
          payload: { username: account.username, organisationAdmin: false },
        },
      ]);
      return account;
    });
  }

  list(principal: Principal): Promise<Account[]> {
    return this.uow.read((em) =>
      em.find(
        Account,
        { organisationId: principal.organisationId },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
    );
  }
}
