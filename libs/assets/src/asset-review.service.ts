import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, NotFound, RuleRefused, ValidationFailed, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, Organisation, type Principal } from '@app/identity';
import { LedgerRecorder, type JsonValue } from '@app/ledger';
import { lockAsset } from './asset-lock.js';
import { inputHash, inputOf, type AssetInput } from './asset-input.js';
import { admittedHolders } from './asset.service.js';
import { CertificateService } from './certificate.service.js';
import { Asset, type AssetStatus } from './entities/asset.entity.js';
import { AssetRequest } from './entities/asset-request.entity.js';
import { AssetReview, type ReviewSubject } from './entities/asset-review.entity.js';
import { catalogueState, ImportantDataCatalogue } from './important-data-catalogue.js';
import { nextRegistrationNumber } from './registration-number.js';

export const REVIEW_DECISIONS = ['approve', 'reject', 'request-changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

const REGISTRATION_OUTCOME: Record<ReviewDecision, { to: AssetStatus; action: string }> = {
  approve: { to: 'registered', action: 'asset.registered' },
  reject: { to: 'rejected', action: 'asset.rejected' },
  'request-changes': { to: 'changes-requested', action: 'asset.changesRequested' },
};

/** The operator's reviews of assets: security reviews (DS 26) and the decision on a submitted registration. */
@Injectable()
export class AssetReviewService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly certificates: CertificateService,
    private readonly catalogue: ImportantDataCatalogue,
  ) {}

  /**
   * Records the operator's security review (DS 26) of the facts as they stand (or as a pending change would make
   * them): bound to the hash of that input, so any later edit needs a new review before approval.
   */
  async securityReview(
    principal: Principal,
    id: string,
    review: { passed: boolean; findings: string; requestId?: string },
  ): Promise<AssetReview> {
    return this.uow.run(async (em) => {
      const asset = await em.findOne(Asset, { id });
      if (!asset) throw new NotFound('asset');
      let reviewed = inputOf(asset);
      if (review.requestId) {
        const request = await em.findOne(AssetRequest, { id: review.requestId, assetId: id });
        if (!request) throw new NotFound('request');
        if (request.kind !== 'change' || request.status !== 'pending')
          throw new Conflict('only a pending change request has new facts to review', 'not_reviewable');
        reviewed = request.proposed as unknown as AssetInput;
      } else if (!['submitted', 'draft', 'changes-requested'].includes(asset.status)) {
        throw new Conflict(
          `the asset is ${asset.status}; review the facts of a pending change request (requestId)`,
          'not_reviewable',
        );
      }
      const hash = inputHash(reviewed);
      const [entry] = await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.securityReviewed',
          subjectIds: [id, asset.registrantId],
          payload: {
            passed: review.passed,
            findings: review.findings,
            inputHash: hash,
            requestId: review.requestId ?? null,
          },
        },
      ]);
      return this.history(em, principal, {
        assetId: id,
        requestId: review.requestId ?? null,
        subject: 'security',
        decision: review.passed ? 'passed' : 'failed',
        reason: review.findings,
        findings: { passed: review.passed, findings: review.findings },
        factsHash: hash,
        ledgerIndex: entry.index,
      });
    });
  }

  /**
   * DS 26: important and core data is approved only after a passed security review of exactly the input being
   * approved. Precondition: inside the approval's transaction.
   */
  async requireSecurityReview(
    em: EntityManager,
    asset: Asset,
    input: AssetInput,
    level: string,
  ): Promise<void> {
    if (level === 'general') return;
    const hash = inputHash(input);
    const reviewed = await em.count(AssetReview, {
      assetId: asset.id,
      subject: 'security',
      decision: 'passed',
      factsHash: hash,
    });
    if (reviewed === 0)
      throw new RuleRefused(
        'DS 26',
        'security_review_required',
        `${level} data is approved only after a recorded security review of these facts (POST /v1/assets/${asset.id}/security-review)`,
      );
  }

  /** The decision on a submitted registration. Approval assigns the registration number and issues the certificate. */
  async reviewRegistration(
    principal: Principal,
    id: string,
    decision: ReviewDecision,
    reason: string,
  ): Promise<Asset> {
    const { to, action } = REGISTRATION_OUTCOME[decision];
    return this.uow.run(async (em) => {
      const asset = await lockAsset(em, id);
      if (!asset) throw new NotFound('asset');
      if (asset.registrantId === principal.organisationId)
        throw new Conflict('an operator does not review its own asset', 'own_asset');
      if (asset.status !== 'submitted')
        throw new Conflict(`cannot ${decision} an asset that is ${asset.status}`, 'invalid_transition');
      if (decision === 'approve') {
        await this.requireSecurityReview(em, asset, inputOf(asset), asset.level);
        await admittedHolders(
          em,
          asset.rights.map((r) => r.organisationId),
        );
      }
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Asset,
        { id, status: 'submitted' },
        { status: to, statusReason: reason, updatedAt: now },
      );
      if (moved === 0) {
        const current = await em.findOneOrFail(Asset, { id }, { refresh: true });
        throw new Conflict(`cannot ${decision} an asset that is ${current.status}`, 'invalid_transition');
      }
      let registrationNumber: string | null = null;
      if (decision === 'approve') {
        registrationNumber = await nextRegistrationNumber(em, now.getUTCFullYear());
        await em.nativeUpdate(Asset, { id }, { registrationNumber, registeredAt: now });
      }
      const [entry] = await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action,
          subjectIds: [id, asset.registrantId],
          payload: { from: 'submitted', to, reason, registrationNumber, level: asset.level },
        },
      ]);
      await this.history(em, principal, {
        assetId: id,
        requestId: null,
        subject: 'registration',
        decision,
        reason,
        findings: null,
        factsHash: null,
        ledgerIndex: entry.index,
      });
      const after = await em.findOneOrFail(Asset, { id }, { refresh: true });
      if (decision === 'approve') {
        const registrant = await em.findOneOrFail(Organisation, { id: after.registrantId });
        await this.certificates.issue(em, after, registrant.name, 'registered', actorOf(principal));
        await this.catalogue.changed(em, actorOf(principal), null, catalogueState(after));
      }
      return after;
    });
  }

  /** Appends to the review history. Precondition: inside the decision's transaction. */
  async history(
    em: EntityManager,
    principal: Principal,
    row: {
      assetId: string;
      requestId: string | null;
      subject: ReviewSubject;
      decision: string;
      reason: string;
      findings: JsonValue | null;
      factsHash: string | null;
      ledgerIndex: number;
    },
  ): Promise<AssetReview> {
    if (row.reason.length > 1000) throw new ValidationFailed('reason: at most 1000 characters');
    const review = em.create(AssetReview, {
      id: newId(),
      ...row,
      reviewerAccountId: principal.accountId,
      reviewerOrganisationId: principal.organisationId,
      createdAt: this.clock.now(),
    });
    await em.flush();
    return review;
  }
}
