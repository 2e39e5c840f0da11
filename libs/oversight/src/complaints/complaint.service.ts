import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { createHash } from 'node:crypto';
import { Clock, Conflict, Forbidden, NotFound, RateLimited, ValidationFailed, newId } from '@app/core';
import { UnitOfWork, keysetPage, type Transaction } from '@app/database';
import { Listing, ListingService } from '@app/catalog';
import {
  actorOf,
  AttemptThrottle,
  Organisation,
  OrganisationService,
  isOverseer,
  type Principal,
} from '@app/identity';
import { LedgerRecorder, SYSTEM_ACTOR, type LedgerActor } from '@app/ledger';
import { Contract, ContractSuspensionService } from '@app/trading';
import {
  COMPLAINT_TRANSITIONS,
  type ComplaintCategory,
  type ComplaintOutcome,
  type ComplaintState,
  type ComplaintStep,
  type ComplaintSubjectKind,
} from '../core/complaint-states.js';
import { Complaint, type ComplaintSuspension } from '../entities/complaint.entity.js';
import { canonicalReceiptCode, newReceiptCode, receiptHash } from './receipt-code.js';

export const MAX_STATEMENT = 8000;
export const MAX_CONTACT = 200;
export const MAX_NOTE = 2000;
export const MAX_COMPLAINT_EVIDENCE = 20;
const EVIDENCE_HASH = /^0x[0-9a-fA-F]{64}$/;
/** Anonymous filings per client address and hour: enough for a person, not for a flood of ledger entries. */
export const ANONYMOUS_FILINGS_PER_HOUR = 20;
/** The status reason columns of listings and organisations hold 500 characters. */
const SUSPENSION_REASON_LENGTH = 500;

export interface NewComplaint {
  category: ComplaintCategory;
  subjectKind: ComplaintSubjectKind | null;
  subjectId: string | null;
  statement: string;
  evidenceHashes: string[];
  contact: string | null;
}

/** Who files: a signed-in principal, or nobody known (then throttled per client address). */
export interface Filer {
  principal: Principal | null;
  clientAddress: string;
}

export interface ComplaintDecision {
  outcome: ComplaintOutcome;
  reason: string;
  publicNote: string | null;
  /** Suspend the subject (upheld only, and a subject named). */
  suspend: boolean;
}

export interface ComplaintFilter {
  state?: ComplaintState;
  category?: ComplaintCategory;
  subjectKind?: ComplaintSubjectKind;
  after?: string;
  limit: number;
}

/**
 * Complaints and reports from anyone (DE 26: a complaint process; DE 60: anyone may report; DS 58: violations found
 * are handled). Anyone files, signed in or not, and gets a receipt code (shown once, stored as SHA-256) to follow
 * it; the operator and regulators triage, investigate and decide, and an upheld decision may suspend the listing,
 * organisation or contract it names in the same transaction. The reporter is never shown to the reported party:
 * `complaint.filed` names only the complaint, and `complaint.decided` names the reported organisation(s) without the
 * reporter.
 */
@Injectable()
export class ComplaintService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly throttle: AttemptThrottle,
    private readonly listings: ListingService,
    private readonly organisations: OrganisationService,
    private readonly contracts: ContractSuspensionService,
  ) {}

  /**
   * Files a complaint. A named subject must exist (404 naming its kind); the reported organisation is the listing's
   * merchant or the organisation itself, and null for a contract (either party may be the one complained of: the
   * decision names both). Anonymous filings are throttled per client address (429).
   */
  async file(filer: Filer, input: NewComplaint): Promise<{ complaint: Complaint; receiptCode: string }> {
    ComplaintService.checkFiling(input);
    if (!filer.principal) {
      const wait = await this.throttle.hit(
        { name: 'complaint', limit: ANONYMOUS_FILINGS_PER_HOUR, windowSeconds: 3600 },
        [`ip:${filer.clientAddress}`],
      );
      if (wait > 0)
        throw new RateLimited(`too many complaints from this address; try again in ${wait} s`, wait);
    }
    const receiptCode = newReceiptCode();
    const complaint = await this.uow.run(async (em) => {
      const reportedOrganisationId = await ComplaintService.reportedOrganisation(em, input);
      const now = this.clock.now();
      const complaint = em.create(Complaint, {
        id: newId(),
        receiptHash: receiptHash(receiptCode),
        reporterAccountId: filer.principal?.accountId ?? null,
        reporterOrganisationId: filer.principal?.organisationId ?? null,
        reporterContact: input.contact,
        category: input.category,
        subjectKind: input.subjectKind,
        subjectId: input.subjectId,
        reportedOrganisationId,
        statement: input.statement,
        evidenceHashes: input.evidenceHashes.map((h) => h.toLowerCase()),
        state: 'received',
        outcome: null,
        publicNote: null,
        decisionReason: null,
        suspension: null,
        handledByAccountId: null,
        createdAt: now,
        updatedAt: now,
        decidedAt: null,
      });
      await em.flush();
      const actor: LedgerActor = filer.principal
        ? { accountId: filer.principal.accountId, organisationId: filer.principal.organisationId }
        : SYSTEM_ACTOR;
      // The complaint only: naming the reported organisation would show it the reporter (the actor).
      await this.ledger.record(em, [
        {
          actor,
          action: 'complaint.filed',
          subjectIds: [complaint.id],
          payload: {
            category: input.category,
            subjectKind: input.subjectKind,
            subjectId: input.subjectId,
            statementSha256: createHash('sha256').update(input.statement, 'utf8').digest('hex'),
            evidenceHashes: complaint.evidenceHashes,
          },
        },
      ]);
      return complaint;
    });
    return { complaint, receiptCode };
  }

  /** The complaint a receipt code belongs to; an unknown code is 404 and a malformed one 400. */
  async lookup(receiptCode: string): Promise<Complaint> {
    const canonical = canonicalReceiptCode(receiptCode);
    if (!canonical)
      throw new ValidationFailed(
        'receiptCode looks like DXC-XXXXX-XXXXX-XXXXX-XXXXX (the code given when the complaint was filed)',
        'invalid_receipt_code',
      );
    const complaint = await this.uow.read((em) =>
      em.findOne(Complaint, { receiptHash: receiptHash(canonical) }),
    );
    if (!complaint) throw new NotFound('complaint');
    return complaint;
  }

  /** Complaints newest first, a page at a time, for the operator and regulators. */
  async list(
    principal: Principal,
    filter: ComplaintFilter,
  ): Promise<{ complaints: Complaint[]; next: string | null }> {
    ComplaintService.requireOverseer(principal);
    const after = keysetPage.after(filter.after);
    return this.uow.read(async (em) => {
      const rows = await em.find(
        Complaint,
        {
          ...after,
          ...(filter.state ? { state: filter.state } : {}),
          ...(filter.category ? { category: filter.category } : {}),
          ...(filter.subjectKind ? { subjectKind: filter.subjectKind } : {}),
        },
        keysetPage.options(filter.limit),
      );
      const { rows: complaints, next } = keysetPage.cut(rows, filter.limit);
      return { complaints, next };
    });
  }

  /** The whole record, reporter included: the operator and regulators only. */
  async get(principal: Principal, id: string): Promise<Complaint> {
    ComplaintService.requireOverseer(principal);
    const complaint = await this.uow.read((em) => em.findOne(Complaint, { id }));
    if (!complaint) throw new NotFound('complaint');
    return complaint;
  }

  /** Accepted for handling (`received → triaged`). */
  async triage(principal: Principal, id: string, publicNote: string | null): Promise<Complaint> {
    return this.step(principal, id, 'triage', publicNote);
  }

  /** Under investigation (`received|triaged → investigating`). */
  async investigate(principal: Principal, id: string, publicNote: string | null): Promise<Complaint> {
    return this.step(principal, id, 'investigate', publicNote);
  }

  /**
   * Decides the complaint (upheld or dismissed, with a reason). With `suspend` (upheld, and a subject named) the
   * subject is suspended in the same transaction by its own service's step, on its own ledger entry with the reason
   * `complaint <id>: <reason>`; if that step is refused (a listing not published, a contract not active) nothing is
   * decided. Of parallel decisions one wins, the others are 409.
   */
  async decide(principal: Principal, id: string, decision: ComplaintDecision): Promise<Complaint> {
    ComplaintService.requireOverseer(principal);
    ComplaintService.checkDecision(decision);
    return this.uow.run(async (em, tx) => {
      const now = this.clock.now();
      const { from, to, recorded } = COMPLAINT_TRANSITIONS.decide;
      const moved = await em.nativeUpdate(
        Complaint,
        { id, state: { $in: [...from] } },
        {
          state: to,
          outcome: decision.outcome,
          decisionReason: decision.reason,
          ...(decision.publicNote !== null ? { publicNote: decision.publicNote } : {}),
          handledByAccountId: principal.accountId,
          decidedAt: now,
          updatedAt: now,
        },
      );
      const complaint = await ComplaintService.moved(em, id, moved, 'decide');
      if (decision.suspend && !complaint.subjectKind)
        throw new ValidationFailed(
          'suspend needs a complaint about a listing, an organisation or a contract',
          'nothing_to_suspend',
        );
      const suspension = decision.suspend ? await this.suspend(em, tx, principal, complaint, decision) : null;
      if (suspension) {
        await em.nativeUpdate(Complaint, { id }, { suspension });
        complaint.suspension = suspension;
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: recorded,
          subjectIds: [id, ...(await ComplaintService.concerned(em, complaint))],
          payload: {
            outcome: decision.outcome,
            reason: decision.reason,
            publicNote: decision.publicNote,
            subjectKind: complaint.subjectKind ?? null,
            subjectId: complaint.subjectId ?? null,
            suspension: suspension ? { kind: suspension.kind, id: suspension.id } : null,
          },
        },
      ]);
      return complaint;
    });
  }

  private async step(
    principal: Principal,
    id: string,
    step: Exclude<ComplaintStep, 'decide'>,
    publicNote: string | null,
  ): Promise<Complaint> {
    ComplaintService.requireOverseer(principal);
    ComplaintService.checkNote(publicNote, 'publicNote');
    return this.uow.run(async (em) => {
      const now = this.clock.now();
      const { from, to, recorded } = COMPLAINT_TRANSITIONS[step];
      const moved = await em.nativeUpdate(
        Complaint,
        { id, state: { $in: [...from] } },
        {
          state: to,
          ...(publicNote !== null ? { publicNote } : {}),
          handledByAccountId: principal.accountId,
          updatedAt: now,
        },
      );
      const complaint = await ComplaintService.moved(em, id, moved, step);
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: recorded,
          subjectIds: [id],
          payload: { to, publicNote },
        },
      ]);
      return complaint;
    });
  }

  /** The subject's own suspension step, inside the decision's transaction. */
  private async suspend(
    em: EntityManager,
    tx: Transaction,
    principal: Principal,
    complaint: Complaint,
    decision: ComplaintDecision,
  ): Promise<ComplaintSuspension> {
    const kind = complaint.subjectKind!;
    const id = complaint.subjectId!;
    const reason = `complaint ${complaint.id}: ${decision.reason}`.slice(0, SUSPENSION_REASON_LENGTH);
    if (kind === 'listing') await this.listings.transitionIn(em, principal, id, 'suspend', reason);
    else if (kind === 'organisation')
      await this.organisations.decideIn(em, tx, principal, id, 'suspend', reason);
    else await this.contracts.stepIn(em, principal, id, 'suspend', reason);
    return { kind, id };
  }

  /** The complaint after a conditional update: 404 when there is none, 409 when it was not in a `from` state. */
  private static async moved(
    em: EntityManager,
    id: string,
    moved: number,
    step: ComplaintStep,
  ): Promise<Complaint> {
    const complaint = await em.findOne(Complaint, { id }, { refresh: true });
    if (!complaint) throw new NotFound('complaint');
    if (moved === 0)
      throw new Conflict(`cannot ${step} a complaint that is ${complaint.state}`, 'invalid_transition');
    return complaint;
  }

  /**
   * Who learns of the decision on `/v1/ledger/mine`: the subject, and the reported organisation, or for a contract
   * both its parties. Never the reporter as such.
   */
  private static async concerned(em: EntityManager, complaint: Complaint): Promise<string[]> {
    const ids: string[] = [];
    if (complaint.subjectId) ids.push(complaint.subjectId);
    if (complaint.reportedOrganisationId && complaint.reportedOrganisationId !== complaint.subjectId)
      ids.push(complaint.reportedOrganisationId);
    if (complaint.subjectKind === 'contract' && complaint.subjectId) {
      const contract = await em.findOne(Contract, { id: complaint.subjectId });
      if (contract) ids.push(contract.buyerOrganisationId, contract.merchantOrganisationId);
    }
    return ids;
  }

  /** The organisation a complaint is about; 404 naming the kind when the subject does not exist. */
  private static async reportedOrganisation(em: EntityManager, input: NewComplaint): Promise<string | null> {
    if (!input.subjectKind || !input.subjectId) return null;
    const id = input.subjectId;
    if (input.subjectKind === 'listing') {
      const listing = await em.findOne(Listing, { id });
      if (!listing) throw new NotFound('listing');
      return listing.organisationId;
    }
    if (input.subjectKind === 'organisation') {
      if (!(await em.findOne(Organisation, { id }))) throw new NotFound('organisation');
      return id;
    }
    if (!(await em.findOne(Contract, { id }))) throw new NotFound('contract');
    return null;
  }

  private static requireOverseer(principal: Principal): void {
    if (!isOverseer(principal)) throw new Forbidden('complaints are handled by the operator and regulators');
  }

  private static checkFiling(input: NewComplaint): void {
    if ((input.subjectKind === null) !== (input.subjectId === null))
      throw new ValidationFailed('subjectKind and subjectId go together', 'incomplete_subject');
    if (input.statement.trim() === '' || input.statement.length > MAX_STATEMENT)
      throw new ValidationFailed(`statement: 1 to ${MAX_STATEMENT} characters`, 'invalid_statement');
    if (input.contact !== null && input.contact.length > MAX_CONTACT)
      throw new ValidationFailed(`contact: at most ${MAX_CONTACT} characters`, 'invalid_contact');
    if (input.evidenceHashes.length > MAX_COMPLAINT_EVIDENCE)
      throw new ValidationFailed(
        `give at most ${MAX_COMPLAINT_EVIDENCE} evidence hashes`,
        'too_much_evidence',
      );
    if (input.evidenceHashes.some((h) => !EVIDENCE_HASH.test(h)))
      throw new ValidationFailed(
        'each evidence hash is 0x followed by 64 hex digits',
        'invalid_evidence_hash',
      );
  }

  private static checkNote(note: string | null, name: string): void {
    if (note !== null && note.length > MAX_NOTE)
      throw new ValidationFailed(`${name}: at most ${MAX_NOTE} characters`, 'note_too_long');
  }

  private static checkDecision(d: ComplaintDecision): void {
    if (d.reason.trim() === '' || d.reason.length > MAX_NOTE)
      throw new ValidationFailed(
        `a decision gives its reason (1 to ${MAX_NOTE} characters)`,
        'reason_required',
      );
    ComplaintService.checkNote(d.publicNote, 'publicNote');
    if (d.suspend && d.outcome !== 'upheld')
      throw new ValidationFailed('only an upheld complaint suspends its subject', 'suspension_needs_upheld');
  }
}
