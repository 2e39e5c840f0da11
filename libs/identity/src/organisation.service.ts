import { actorOf } from './principal.js';
import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { Clock, Conflict, Forbidden, NotFound } from '@app/core';
import { LedgerRecorder } from '@app/ledger';
import { UnitOfWork, type Transaction, sqlKindOf } from '@app/database';
import type { EntityManager } from '@mikro-orm/sql';
import { CredentialResolver } from './credential-resolver.js';
import { PartyReader, type OrganisationRecord } from './party-reader.js';
import { Organisation, type OrganisationStatus, type Role } from './entities/organisation.entity.js';
import { isOverseer, type Principal } from './principal.js';

/** Each decision leaves exactly one status, so the conditional update below knows the status it replaced. */
const TRANSITIONS: Record<
  'admit' | 'reject' | 'suspend' | 'reinstate',
  { from: OrganisationStatus; to: OrganisationStatus }
> = {
  admit: { from: 'pending', to: 'admitted' },
  reject: { from: 'pending', to: 'rejected' },
  suspend: { from: 'admitted', to: 'suspended' },
  reinstate: { from: 'suspended', to: 'admitted' },
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
  async get(principal: Principal, id: string): Promise<OrganisationRecord> {
    if (id !== principal.organisationId && !isOverseer(principal)) throw new NotFound('organisation');
    const found = await this.reader.organisation(id);
    if (!found) throw new NotFound('organisation');
    return found;
  }

  async list(principal: Principal, status?: OrganisationStatus): Promise<Organisation[]> {
    return this.uow.read((em) =>
      em.find(
        Organisation,
        {
          ...(isOverseer(principal) ? {} : { id: principal.organisationId }),
          ...(status ? { status } : {}),
        },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 500 },
      ),
    );
  }

  /**
   * The names of these organisations, for showing the parties of something the caller may already see (a contract
   * it is party to or oversees): no access check here, so callers pass only ids they were allowed to read.
   */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const found = await this.uow.read((em) =>
      em.find(Organisation, { id: { $in: unique } }, { fields: ['id', 'name'] }),
    );
    return new Map(found.map((o) => [o.id, o.name]));
  }

  /**
   * The operator's admission review of a party (and later suspension): a permission change, so it is on the ledger.
   * The status moves by a conditional update from the one status the decision leaves, so of two parallel decisions
   * on one party exactly one takes effect. Regulator bodies are outside the operator's reach (separation of duties:
   * the overseen does not decide on its overseer).
   */
  async decide(
    principal: Principal,
    id: string,
    decision: AdmissionDecision,
    reason: string | null,
  ): Promise<Organisation> {
    return this.uow.run((em, tx) => this.decideIn(em, tx, principal, id, decision, reason));
  }

  /**
   * `decide` inside the caller's transaction, for a use case that suspends a party among other steps (a complaint's
   * decision). Precondition: `em` and `tx` are that transaction's (the credential cache is told after its commit).
   */
  async decideIn(
    em: EntityManager,
    tx: Transaction,
    principal: Principal,
    id: string,
    decision: AdmissionDecision,
    reason: string | null,
  ): Promise<Organisation> {
    const { from, to } = TRANSITIONS[decision];
    const organisation = await em.findOne(Organisation, { id });
    if (!organisation) throw new NotFound('organisation');
    if (organisation.id === principal.organisationId) {
      throw new Conflict('an operator cannot decide on its own organisation', 'own_organisation');
    }
    if (organisation.roles.includes('regulator')) {
      throw new Forbidden('the operator does not decide on regulator bodies', 'regulator_body');
    }
    const now = this.clock.now();
    const moved = await em.nativeUpdate(
      Organisation,
      { id, status: from },
      { status: to, statusReason: reason, updatedAt: now },
    );
    if (moved === 0) {
      const current = await em.findOneOrFail(Organisation, { id }, { refresh: true });
      throw new Conflict(
        `cannot ${decision} an organisation that is ${current.status}`,
        'invalid_transition',
      );
    }
    tx.afterCommit(() => this.credentials.invalidate({ kind: 'organisation', id: organisation.id }));
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: `organisation.${{ admit: 'admitted', reject: 'rejected', suspend: 'suspended', reinstate: 'reinstated' }[decision]}`,
        subjectIds: [organisation.id],
        payload: { from, to, reason, roles: organisation.roles },
      },
    ]);
    return em.findOneOrFail(Organisation, { id }, { refresh: true });
  }

  /**
   * The operator grants or withdraws a role an organisation cannot ask for at sign-up (the assessor of DE 42). It
   * changes what every credential of the organisation grants, so the credential cache is told after commit. The
   * organisation row is read under a row lock (PostgreSQL; SQLite serialises writers), so two parallel changes of
   * one organisation's roles cannot lose each other.
   */
  async changeRole(
    principal: Principal,
    id: string,
    role: Extract<Role, 'assessor'>,
    grant: boolean,
  ): Promise<Organisation> {
    return this.uow.run(async (em, tx) => {
      const sqlite = sqlKindOf(em) === 'sqlite';
      const organisation = await em.findOne(
        Organisation,
        { id },
        sqlite ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!organisation) throw new NotFound('organisation');
      if (organisation.kind !== 'organisation')
        throw new Conflict(
          `the ${role} role is for organisations, not natural persons`,
          'not_an_organisation',
        );
      if (isOverseer(organisation))
        throw new Forbidden(`operator and regulator bodies do not take the ${role} role`, 'overseer_body');
      if (organisation.status !== 'admitted')
        throw new Conflict(`the organisation is ${organisation.status}, not admitted`, 'not_admitted');
      const has = organisation.roles.includes(role);
      if (has === grant) return organisation;
      const roles = grant ? [...organisation.roles, role] : organisation.roles.filter((r) => r !== role);
      await em.nativeUpdate(Organisation, { id }, { roles, updatedAt: this.clock.now() });
      tx.afterCommit(() => this.credentials.invalidate({ kind: 'organisation', id }));
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: grant ? 'organisation.roleGranted' : 'organisation.roleWithdrawn',
          subjectIds: [id],
          payload: { role, roles },
        },
      ]);
      return em.findOneOrFail(Organisation, { id }, { refresh: true });
    });
  }
}
