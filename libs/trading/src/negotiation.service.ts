import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { AssetReader } from '@app/assets';
import { checkCrossBorder, checkTermsAgainstListing, purposeApprovalRequired } from '@app/compliance';
import {
  APP_CONFIG,
  Clock,
  Conflict,
  Forbidden,
  NotFound,
  ValidationFailed,
  enforce,
  newId,
  type AppConfig,
} from '@app/core';
import { UnitOfWork, keysetPage } from '@app/database';
import { actorOf, Organisation, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder, SYSTEM_ACTOR, type LedgerActor } from '@app/ledger';
import { Contract } from './entities/contract.entity.js';
import { Negotiation, NegotiationVersion } from './entities/negotiation.entity.js';
import { ContractFormation } from './contract-formation.js';
import {
  NEGOTIATION_TRANSITIONS,
  TERMINATION_REASONS,
  type NegotiationSide,
  type NegotiationState,
  type TerminationReason,
} from './core/negotiation-transitions.js';
import {
  MAX_COMPUTATIONS,
  MAX_PERIOD_DAYS,
  diffTerms,
  normaliseTerms,
  termsFromJson,
  termsHash,
  termsToJson,
  type Terms,
} from './core/terms.js';
import { lockListing, type ListingContext } from './negotiation-listing.js';
import { type NegotiationPage, type NegotiationRecord } from './negotiation-records.js';

/** The longest an offer may stay open. */
export const MAX_OFFER_DAYS = 90;

/** Who terminated a negotiation: one of its sides, the operator, or the platform (an expiry). */
export type TerminatingParty = NegotiationSide | 'operator' | 'platform';

/** The reasons each terminating party may give; the platform and the purpose review give theirs themselves. */
const REASONS_BY: Record<'buyer' | 'merchant' | 'operator', readonly TerminationReason[]> = {
  buyer: ['buyer_withdrew', 'terms_unacceptable', 'listing_unavailable', 'compliance_refused', 'other'],
  merchant: ['merchant_declined', 'terms_unacceptable', 'listing_unavailable', 'compliance_refused', 'other'],
  operator: ['operator_intervention', 'compliance_refused', 'listing_unavailable', 'other'],
};

const OPEN: readonly NegotiationState[] = ['requested', 'offered'];
const DAY_MS = 86_400_000;

/**
 * Negotiation (磋商, issue 10 item 1) with the Dataspace Protocol's states: the buyer applies with terms, either
 * side counter-offers (each offer an immutable version with its hash and its diff), the side that did not make the
 * latest version accepts it, and the contract forms in that same transaction. Every version is checked against the
 * listing (DS 35, DS 58, DE 31, DE 41) and the buyer's place of registration (DS 38, DS 72). Each step is one
 * transaction: the listing read and locked, a conditional update on (state, version), the ledger entry.
 */
@Injectable()
export class NegotiationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly assets: AssetReader,
    private readonly formation: ContractFormation,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The buyer applies for a published listing with its first terms (version 1, state `requested`). */
  async apply(
    principal: Principal,
    input: { listingId: string; terms: Terms; expiresInDays?: number },
  ): Promise<NegotiationRecord> {
    if (isOverseer(principal))
      throw new Forbidden('operators and regulators never trade', 'overseer_trading');
    const terms = NegotiationService.checkedTerms(input.terms);
    const days = this.offerDays(input.expiresInDays);
    return this.uow.run(async (em) => {
      const context = await this.publishedListing(em, input.listingId);
      if (context.listing.organisationId === principal.organisationId) {
        throw new Conflict('a merchant does not negotiate on its own listing', 'own_listing');
      }
      await this.checkVersion(em, context, principal.organisationId, terms);
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + days * DAY_MS);
      const id = newId();
      const hash = termsHash(terms);
      await em.insert(Negotiation, {
        id,
        listingId: context.listing.id,
        buyerOrganisationId: principal.organisationId,
        merchantOrganisationId: context.listing.organisationId,
        state: 'requested',
        version: 1,
        agreedVersion: null,
        purposeApproval: purposeApprovalRequired(context.listing.pricingMode).required
          ? 'pending'
          : 'not_required',
        contractId: null,
        offerExpiresAt: expiresAt,
        terminationReason: null,
        terminationDetail: null,
        terminatedBySide: null,
        createdAt: now,
        updatedAt: now,
      });
      await this.insertVersion(em, id, 1, 'buyer', principal, terms, [], expiresAt, now);
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: NEGOTIATION_TRANSITIONS.apply.recorded,
          subjectIds: [id, context.listing.id],
          payload: {
            listingId: context.listing.id,
            version: 1,
            side: 'buyer',
            termsHash: hash,
            terms: { ...termsToJson(terms) },
            expiresAt: expiresAt.toISOString(),
          },
        },
      ]);
      return NegotiationService.record(em, id);
    });
  }

  /**
   * A counter-offer by either side on the latest version (`basedOnVersion`): a new version, `requested` when the
   * buyer made it, `offered` when the merchant did. A stale `basedOnVersion` is a 409 naming the current version.
   */
  async counter(
    principal: Principal,
    id: string,
    input: { basedOnVersion: number; terms: Terms; expiresInDays?: number },
  ): Promise<NegotiationRecord> {
    const terms = NegotiationService.checkedTerms(input.terms);
    const days = this.offerDays(input.expiresInDays);
    return this.uow.run(async (em) => {
      const { negotiation, side } = await NegotiationService.asParty(em, principal, id);
      const latest = await this.openLatest(em, negotiation, input.basedOnVersion, 'counter');
      const previous = termsFromJson(latest.terms);
      const changes = diffTerms(previous, terms);
      if (changes.length === 0) {
        throw new ValidationFailed(
          `the terms are those of version ${latest.version}: a counter-offer changes something (or accept it)`,
          'unchanged_terms',
        );
      }
      const context = await this.publishedListing(em, negotiation.listingId, true);
      await this.checkVersion(em, context, negotiation.buyerOrganisationId, terms);
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + days * DAY_MS);
      const next = latest.version + 1;
      const to: NegotiationState = side === 'buyer' ? 'requested' : 'offered';
      await this.move(em, negotiation, latest.version, {
        state: to,
        version: next,
        offerExpiresAt: expiresAt,
        updatedAt: now,
      });
      await this.insertVersion(em, id, next, side, principal, terms, changes, expiresAt, now);
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: NEGOTIATION_TRANSITIONS.counter.recorded,
          subjectIds: [id, negotiation.listingId],
          payload: {
            version: next,
            basedOnVersion: latest.version,
            side,
            from: negotiation.state,
            to,
            termsHash: termsHash(terms),
            terms: { ...termsToJson(terms) },
            changes: changes.map((c) => ({ ...c })),
            expiresAt: expiresAt.toISOString(),
          },
        },
      ]);
      return NegotiationService.record(em, id);
    });
  }

  /**
   * The side that did not make the latest version accepts it (its author accepted it by making it). The
   * negotiation is `agreed` and the contract forms in this transaction, or `accepted` while the operator's approval
   * of the purpose is pending (conditional free use, DE 41). A stale or expired version is a 409.
   */
  async accept(principal: Principal, id: string, version: number): Promise<NegotiationRecord> {
    return this.uow.run(async (em) => {
      const { negotiation, side } = await NegotiationService.asParty(em, principal, id);
      const latest = await this.openLatest(em, negotiation, version, 'accept');
      if (latest.side === side) {
        throw new Conflict(
          `the ${side} made version ${latest.version}; the ${side === 'buyer' ? 'merchant' : 'buyer'} accepts it or counters`,
          'own_version',
        );
      }
      const context = await this.publishedListing(em, negotiation.listingId, true);
      await this.checkVersion(em, context, negotiation.buyerOrganisationId, termsFromJson(latest.terms));
      const pending = negotiation.purposeApproval === 'pending';
      const now = this.clock.now();
      const to: NegotiationState = pending ? 'accepted' : 'agreed';
      await this.move(em, negotiation, latest.version, {
        state: to,
        agreedVersion: latest.version,
        offerExpiresAt: null,
        updatedAt: now,
      });
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: NEGOTIATION_TRANSITIONS.accept.recorded,
          subjectIds: [id, negotiation.listingId],
          payload: {
            version: latest.version,
            side,
            from: negotiation.state,
            to,
            termsHash: latest.termsHash,
            purposeApproval: negotiation.purposeApproval,
          },
        },
      ]);
      if (!pending) await this.formContract(em, negotiation, latest, context, actorOf(principal));
      return NegotiationService.record(em, id);
    });
  }

  /**
   * The operator approves or refuses the purpose of an accepted conditional-free negotiation (DE 41): approval
   * forms the contract; refusal terminates the negotiation with `purpose_refused` and the reason.
   */
  async reviewPurpose(
    principal: Principal,
    id: string,
    decision: 'approve' | 'refuse',
    reason: string,
  ): Promise<NegotiationRecord> {
    return this.uow.run(async (em) => {
      const negotiation = await em.findOne(Negotiation, { id });
      if (!negotiation) throw new NotFound('negotiation');
      if (negotiation.state !== 'accepted' || negotiation.purposeApproval !== 'pending') {
        throw new Conflict(
          `only an accepted negotiation awaiting the purpose review is reviewed; this one is ${negotiation.state}`,
          'invalid_transition',
        );
      }
      const version = await em.findOneOrFail(NegotiationVersion, {
        negotiationId: id,
        version: negotiation.agreedVersion!,
      });
      const now = this.clock.now();
      const approve = decision === 'approve';
      const context = approve ? await this.publishedListing(em, negotiation.listingId, true) : null;
      const moved = await em.nativeUpdate(
        Negotiation,
        { id, state: 'accepted', purposeApproval: 'pending' },
        approve
          ? { state: 'agreed', purposeApproval: 'approved', updatedAt: now }
          : {
              state: 'terminated',
              purposeApproval: 'refused',
              terminationReason: 'purpose_refused',
              terminationDetail: reason,
              terminatedBySide: 'operator',
              updatedAt: now,
            },
      );
      if (moved === 0) throw await NegotiationService.moved(em, id, 'review the purpose of');
      const step = approve ? NEGOTIATION_TRANSITIONS.approvePurpose : NEGOTIATION_TRANSITIONS.refusePurpose;
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: step.recorded,
          subjectIds: [id, negotiation.listingId],
          payload: {
            version: version.version,
            termsHash: version.termsHash,
            purpose: version.terms.purpose,
            decision,
            reason,
          },
        },
      ]);
      if (context) await this.formContract(em, negotiation, version, context, actorOf(principal));
      return NegotiationService.record(em, id);
    });
  }

  /**
   * Ends a negotiation early with a typed reason (and a detail in words, required for `other`): a party while it
   * or the operator (DS 58), at any point before funding. A formed contract that is not
   * yet funded ends with it (`terminated`); once funded, the contract's own dispute and ending rules apply.
   */
  async terminate(
    principal: Principal,
    id: string,
    reason: TerminationReason,
    detail: string | null,
  ): Promise<NegotiationRecord> {
    if (!(reason in TERMINATION_REASONS)) {
      throw new ValidationFailed(`reason must be one of ${Object.keys(TERMINATION_REASONS).join(', ')}`);
    }
    if (reason === 'other' && !detail) {
      throw new ValidationFailed('the reason other needs a detail saying what it is', 'detail_required');
    }
    return this.uow.run(async (em) => {
      const operator = principal.roles.includes('operator');
      let by: 'buyer' | 'merchant' | 'operator';
      let negotiation: Negotiation;
      if (operator) {
        const found = await em.findOne(Negotiation, { id });
        if (!found) throw new NotFound('negotiation');
        negotiation = found;
        by = 'operator';
      } else {
        const party = await NegotiationService.asParty(em, principal, id);
        negotiation = party.negotiation;
        by = party.side;
      }
      if (!REASONS_BY[by].includes(reason)) {
        throw new ValidationFailed(
          `the ${by} terminates with one of ${REASONS_BY[by].join(', ')}`,
          'reason_not_for_party',
        );
      }
      const step = NEGOTIATION_TRANSITIONS.terminate;
      if (!step.from.includes(negotiation.state)) {
        throw new Conflict(
          `cannot terminate a negotiation that is ${negotiation.state}`,
          'invalid_transition',
        );
      }
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Negotiation,
        { id, state: negotiation.state, version: negotiation.version },
        {
          state: 'terminated',
          terminationReason: reason,
          terminationDetail: detail,
          terminatedBySide: by,
          offerExpiresAt: null,
          updatedAt: now,
        },
      );
      if (moved === 0) throw await NegotiationService.moved(em, id, 'terminate');
      const events = [
        {
          actor: actorOf(principal),
          action: step.recorded,
          subjectIds: [id, negotiation.listingId],
          payload: { from: negotiation.state, reason, detail, by },
        },
      ];
      if (negotiation.contractId) {
        const ended = await em.nativeUpdate(
          Contract,
          { id: negotiation.contractId, state: { $in: ['awaiting_signatures', 'signed'] } },
          {
            state: 'ended',
            endReason: 'terminated',
            endDetail: `${reason}${detail ? `: ${detail}` : ''}`.slice(0, 500),
            endedAt: now,
            updatedAt: now,
          },
        );
        if (ended === 0) {
          throw new Conflict(
            'the contract is already funded or ended: it ends by its own rules, not with the negotiation',
            'contract_in_force',
          );
        }
        events.push({
          actor: actorOf(principal),
          action: 'contract.terminated',
          subjectIds: [negotiation.contractId, id],
          payload: { from: negotiation.state, reason, detail, by },
        });
      }
      await this.ledger.record(em, events);
      return NegotiationService.record(em, id);
    });
  }

  /** A negotiation with every version, for its parties and the overseers (anyone else: 404). */
  async get(principal: Principal, id: string): Promise<NegotiationRecord> {
    return this.uow.read(async (em) => {
      const negotiation = await em.findOne(Negotiation, { id });
      if (!negotiation || !NegotiationService.sees(principal, negotiation)) throw new NotFound('negotiation');
      return NegotiationService.record(em, id);
    });
  }

  /** The caller's negotiations (as buyer or merchant), or every one for overseers; newest first, a page at a time. */
  async list(
    principal: Principal,
    query: { state?: NegotiationState; listingId?: string; after?: string; limit: number },
  ): Promise<NegotiationPage> {
    const after = keysetPage.after(query.after);
    return this.uow.read(async (em) => {
      const mine = isOverseer(principal)
        ? {}
        : {
            $or: [
              { buyerOrganisationId: principal.organisationId },
              { merchantOrganisationId: principal.organisationId },
            ],
          };
      const rows = await em.find(
        Negotiation,
        {
          $and: [
            mine,
            query.state ? { state: query.state } : {},
            query.listingId ? { listingId: query.listingId } : {},
            after,
          ],
        },
        keysetPage.options(query.limit),
      );
      const { rows: page, next } = keysetPage.cut(rows, query.limit);
      const versions = page.length
        ? await em.find(NegotiationVersion, {
            $or: page.map((n) => ({ negotiationId: n.id, version: n.version })),
          })
        : [];
      return {
        records: page.map((negotiation) => ({
          negotiation,
          versions: versions.filter((v) => v.negotiationId === negotiation.id),
        })),
        next,
      };
    });
  }

  /**
   * Terminates, with `offer_expired`, every open negotiation whose latest version expired by `now` (at most
   * `batch` of them per call): one transaction and one ledger entry each, each a conditional update on the state,
   * version and expiry it was found with, so a counter-offer or acceptance that got in first wins. Returns how many
   * it ended. The trading heartbeat calls it.
   */
  async expireOffers(now: Date, batch = 200): Promise<number> {
    const due = await this.uow.read((em) =>
      em.find(
        Negotiation,
        { state: { $in: [...OPEN] }, offerExpiresAt: { $lte: now } },
        { orderBy: { offerExpiresAt: 'asc' }, limit: batch },
      ),
    );
    let ended = 0;
    for (const n of due) {
      const done = await this.uow.run(async (em) => {
        const moved = await em.nativeUpdate(
          Negotiation,
          { id: n.id, state: n.state, version: n.version, offerExpiresAt: { $lte: now } },
          {
            state: 'terminated',
            terminationReason: 'offer_expired',
            terminationDetail: `version ${n.version} expired at ${n.offerExpiresAt?.toISOString()}`,
            terminatedBySide: 'platform',
            offerExpiresAt: null,
            updatedAt: this.clock.now(),
          },
        );
        if (moved === 0) return false;
        await this.ledger.record(em, [
          {
            actor: SYSTEM_ACTOR,
            action: NEGOTIATION_TRANSITIONS.terminate.recorded,
            subjectIds: [n.id, n.listingId],
            payload: { from: n.state, reason: 'offer_expired', version: n.version, by: 'platform' },
          },
        ]);
        return true;
      });
      if (done) ended += 1;
    }
    return ended;
  }

  /**
   * `agreed → verified`: both parties signed and the platform countersigned. Called by contract signing inside its
   * own transaction. Precondition: `em` is inside that transaction. Throws Conflict when the negotiation is not
   * `agreed` (then the caller's transaction rolls back).
   */
  async markVerified(em: EntityManager, negotiationId: string): Promise<void> {
    await this.platformStep(em, negotiationId, 'sign');
  }

  /** `verified → finalized`: the contract is funded and active. Called by funding inside its transaction (as above). */
  async markFinalized(em: EntityManager, negotiationId: string): Promise<void> {
    await this.platformStep(em, negotiationId, 'fund');
  }

  private async platformStep(em: EntityManager, id: string, step: 'sign' | 'fund'): Promise<void> {
    const t = NEGOTIATION_TRANSITIONS[step];
    const from = t.from[0];
    const to = t.to[0];
    const moved = await em.nativeUpdate(
      Negotiation,
      { id, state: from },
      { state: to, updatedAt: this.clock.now() },
    );
    if (moved === 0) {
      const current = await em.findOne(Negotiation, { id }, { refresh: true });
      throw new Conflict(
        `the negotiation is ${current?.state ?? 'missing'}, not ${from}: it cannot become ${to}`,
        'invalid_transition',
      );
    }
    const n = await em.findOneOrFail(Negotiation, { id });
    await this.ledger.record(em, [
      {
        actor: SYSTEM_ACTOR,
        action: t.recorded,
        subjectIds: [id, ...(n.contractId ? [n.contractId] : [])],
        payload: { from, to, contractId: n.contractId ?? null },
      },
    ]);
  }

  private async formContract(
    em: EntityManager,
    negotiation: Negotiation,
    version: NegotiationVersion,
    context: ListingContext,
    actor: LedgerActor,
  ): Promise<void> {
    const contract = await this.formation.form(em, negotiation, version, context, actor);
    const linked = await em.nativeUpdate(
      Negotiation,
      { id: negotiation.id, state: 'agreed', contractId: null },
      { contractId: contract.id },
    );
    if (linked === 0) throw await NegotiationService.moved(em, negotiation.id, 'form the contract of');
  }

  /** The listing, read and locked, which must be published (a stale listing ends nothing here: the step is refused). */
  private async publishedListing(
    em: EntityManager,
    listingId: string,
    existing = false,
  ): Promise<ListingContext> {
    const context = await lockListing(em, this.assets, listingId);
    if (!context || (!existing && context.listing.status !== 'published')) throw new NotFound('listing');
    if (context.listing.status !== 'published') {
      throw new Conflict(
        `the listing is ${context.listing.status}: negotiation waits until it is published again, or terminate it`,
        'listing_unavailable',
      );
    }
    return context;
  }

  /** The listing's rules (DS 35, DS 58, DE 31, DE 41) and the cross-border rules (DS 38, DS 72) on one version. */
  private async checkVersion(
    em: EntityManager,
    context: ListingContext,
    buyerOrganisationId: string,
    terms: Terms,
  ): Promise<void> {
    enforce(checkTermsAgainstListing(context.traded, terms));
    const buyer = await em.findOneOrFail(Organisation, { id: buyerOrganisationId });
    enforce(
      checkCrossBorder({
        buyerRegisteredIn: buyer.registeredIn,
        level: context.listing.level,
        personalInformation: context.personalInformation,
      }),
    );
  }

  /** The latest version, which must be `version`, still open and unexpired. */
  private async openLatest(
    em: EntityManager,
    negotiation: Negotiation,
    version: number,
    action: 'counter' | 'accept',
  ): Promise<NegotiationVersion> {
    if (!OPEN.includes(negotiation.state)) {
      throw new Conflict(
        `cannot ${action} in a negotiation that is ${negotiation.state}`,
        'invalid_transition',
      );
    }
    if (version !== negotiation.version) {
      throw new Conflict(
        `version ${version} is not the latest: the current version is ${negotiation.version}`,
        'stale_version',
      );
    }
    const latest = await em.findOneOrFail(NegotiationVersion, { negotiationId: negotiation.id, version });
    if (latest.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new Conflict(
        `version ${version} expired at ${latest.expiresAt.toISOString()}; the negotiation ends unanswered`,
        'offer_expired',
      );
    }
    return latest;
  }

  /** The conditional update on (state, version) a step makes; a parallel step that got in first makes it a 409. */
  private async move(
    em: EntityManager,
    negotiation: Negotiation,
    version: number,
    changes: Partial<
      Pick<Negotiation, 'state' | 'version' | 'agreedVersion' | 'offerExpiresAt' | 'updatedAt'>
    >,
  ): Promise<void> {
    const moved = await em.nativeUpdate(
      Negotiation,
      { id: negotiation.id, state: negotiation.state, version },
      changes,
    );
    if (moved === 0) throw await NegotiationService.moved(em, negotiation.id, 'change');
  }

  private static async moved(em: EntityManager, id: string, action: string): Promise<Conflict> {
    const current = await em.findOne(Negotiation, { id }, { refresh: true });
    return new Conflict(
      `another step got in first: the negotiation is now ${current?.state} at version ${current?.version} ` +
        `(the current version is ${current?.version}); ${action} it again from there`,
      current && current.state !== 'requested' && current.state !== 'offered'
        ? 'invalid_transition'
        : 'stale_version',
    );
  }

  private async insertVersion(
    em: EntityManager,
    negotiationId: string,
    version: number,
    side: NegotiationSide,
    principal: Principal,
    terms: Terms,
    changes: ReturnType<typeof diffTerms>,
    expiresAt: Date,
    now: Date,
  ): Promise<void> {
    await em.insert(NegotiationVersion, {
      negotiationId,
      version,
      side,
      authorOrganisationId: principal.organisationId,
      authorAccountId: principal.accountId,
      terms: termsToJson(terms),
      termsHash: termsHash(terms),
      changes,
      expiresAt,
      createdAt: now,
    });
  }

  private offerDays(days: number | undefined): number {
    const value = days ?? this.config.trading.offerValidDays;
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_OFFER_DAYS) {
      throw new ValidationFailed(`expiresInDays is a whole number from 1 to ${MAX_OFFER_DAYS}`);
    }
    return value;
  }

  /** Shape rules of terms the rules of the regulations do not cover (the edge checks them too). */
  private static checkedTerms(raw: Terms): Terms {
    const terms = normaliseTerms(raw);
    if (terms.priceFen < 0n) throw new ValidationFailed('priceFen is never negative');
    if (
      !Number.isSafeInteger(terms.periodDays) ||
      terms.periodDays < 1 ||
      terms.periodDays > MAX_PERIOD_DAYS
    ) {
      throw new ValidationFailed(`periodDays is a whole number from 1 to ${MAX_PERIOD_DAYS}`);
    }
    if (terms.computations !== null && (terms.computations < 1 || terms.computations > MAX_COMPUTATIONS)) {
      throw new ValidationFailed(`computations is a whole number from 1 to ${MAX_COMPUTATIONS}`);
    }
    return terms;
  }

  private static sees(principal: Principal, n: Negotiation): boolean {
    return (
      isOverseer(principal) ||
      n.buyerOrganisationId === principal.organisationId ||
      n.merchantOrganisationId === principal.organisationId
    );
  }

  /** The negotiation and the caller's side in it; overseers see it but never take a party's step. */
  private static async asParty(
    em: EntityManager,
    principal: Principal,
    id: string,
  ): Promise<{ negotiation: Negotiation; side: NegotiationSide }> {
    const negotiation = await em.findOne(Negotiation, { id }, { refresh: true });
    if (!negotiation || !NegotiationService.sees(principal, negotiation)) throw new NotFound('negotiation');
    const side: NegotiationSide | null =
      negotiation.buyerOrganisationId === principal.organisationId
        ? 'buyer'
        : negotiation.merchantOrganisationId === principal.organisationId
          ? 'merchant'
          : null;
    if (!side) throw new Forbidden('operators and regulators never trade', 'overseer_trading');
    return { negotiation, side };
  }

  private static async record(em: EntityManager, id: string): Promise<NegotiationRecord> {
    const negotiation = await em.findOneOrFail(Negotiation, { id }, { refresh: true });
    const versions = await em.find(
      NegotiationVersion,
      { negotiationId: id },
      { orderBy: { version: 'asc' } },
    );
    return { negotiation, versions };
  }
}
