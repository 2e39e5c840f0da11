import { Injectable } from '@nestjs/common';
import { Clock, Conflict, NotFound } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork } from '@app/database';
import { CredentialResolver } from './credential-resolver.js';
import { PartyReader } from './party-reader.js';
import { Organisation, type OrganisationStatus } from './entities/organisation.entity.js';
import type { Principal } from './principal.js';

/** Who may see every party: the exchange's operator and the regulators. */
const OVERSEERS = ['operator', 'regulator'] as const;
const seesAll = (p: Principal): boolean => p.roles.some((r) => (OVERSEERS as readonly string[]).includes(r));

const TRANSITIONS: Record<
  'admit' | 'reject' | 'suspend' | 'reinstate',
  { from: OrganisationStatus[]; to: OrganisationStatus }
> = {
  admit: { from: ['pending'], to: 'admitted' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['admitted'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'admitted' },
};
export type AdmissionDecision = keyof typeof TRANSITIONS;

@Injectable()
export class OrganisationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly credentials: CredentialResolver,
    private readonly reader: PartyReader,
  ) {}

  /** A party sees its own organisation; overseers see any. Anything else is "not found". */
  async get(principal: Principal, id: string): Promise<Organisation> {
    if (id !== principal.organisationId && !seesAll(principal)) throw new NotFound('organisation');
    const found = await this.reader.organisation(id);
    if (!found) throw new NotFound('organisation');
    return found;
  }

  async list(principal: Principal, status?: OrganisationStatus): Promise<Organisation[]> {
    return this.uow.read((em) =>
      em.find(
        Organisation,
        {
          ...(seesAll(principal) ? {} : { id: principal.organisationId }),
          ...(status ? { status } : {}),
        },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 500 },
      ),
    );
  }

  /** The operator's admission review of a party (and later suspension): a permission change, so it is on the ledger. */
  async decide(
    principal: Principal,
    id: string,
    decision: AdmissionDecision,
    reason: string | null,
  ): Promise<Organisation> {
    const { from, to } = TRANSITIONS[decision];
    return this.uow.run(async (em, tx) => {
      const organisation = await em.findOne(Organisation, { id });
      if (!organisation) throw new NotFound('organisation');
      if (organisation.id === principal.organisationId) {
        throw new Conflict('an operator cannot decide on its own organisation', 'own_organisation');
      }
      if (!from.includes(organisation.status)) {
        throw new Conflict(
          `cannot ${decision} an organisation that is ${organisation.status}`,
          'invalid_transition',
        );
      }
      const previous = organisation.status;
      organisation.status = to;
      tx.afterCommit(() => this.credentials.invalidate({ kind: 'organisation', id: organisation.id }));
      organisation.statusReason = reason;
      organisation.updatedAt = this.clock.now();
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: { accountId: principal.accountId, organisationId: principal.organisationId },
          action: `organisation.${{ admit: 'admitted', reject: 'rejected', suspend: 'suspended', reinstate: 'reinstated' }[decision]}`,
          subjectIds: [organisation.id],
          payload: { from: previous, to, reason, roles: organisation.roles },
        },
      ]);
      return organisation;
    });
  }
}
