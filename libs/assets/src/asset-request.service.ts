import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { checkRightShares } from '@app/compliance';
import { Clock, Conflict, Forbidden, NotFound, ValidationFailed, enforce, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, isOverseer, Organisation, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { mayRead } from './access.js';
import { AssetLifecycle } from './asset-lifecycle.js';
import { lockAsset } from './asset-lock.js';
import { assessInput, inputOf, rowFields, type AssetInput, type RightInput } from './asset-input.js';
import { AssetReviewService, type ReviewDecision } from './asset-review.service.js';
import { admittedHolders } from './asset.service.js';
import { CertificateService } from './certificate.service.js';
import { holdersByRight } from './core/asset-facts.js';
import { Asset, type AssetStatus } from './entities/asset.entity.js';
import { AssetRequest, type RequestKind, type RequestStatus } from './entities/asset-request.entity.js';
import { catalogueState, ImportantDataCatalogue } from './important-data-catalogue.js';

const REQUESTED_ACTION: Record<RequestKind, string> = {
  change: 'asset.changeRequested',
  transfer: 'asset.transferRequested',
  cancellation: 'asset.cancellationRequested',
  objection: 'asset.objectionFiled',
};

/** Which asset statuses a request of each kind may be made in. */
const REQUESTABLE: Record<RequestKind, readonly AssetStatus[]> = {
  change: ['registered'],
  transfer: ['registered'],
  cancellation: ['registered', 'suspended'],
  objection: ['registered'],
};

const DECIDED: Record<Exclude<ReviewDecision, 'approve'>, RequestStatus> = {
  reject: 'rejected',
  'request-changes': 'changes-requested',
};

/** The fields of the facts that listings built on an asset depend on: a change of one withdraws them. */
const listingKey = (a: Asset): string =>
  JSON.stringify([
    a.level,
    a.openAttribute,
    a.dataKind,
    a.columns.map((c) => [c.name, c.type, c.personalInformation, c.tradeSecret]),
    holdersByRight(a.rights).operation.sort(),
  ]);

/**
 * What happens to a registered asset after registration — change of its facts, transfer of a right, cancellation
 * (注销) and objections (异议) — each a request the operator reviews on the same path as the registration, with its
 * history kept and each step a ledger entry.
 */
@Injectable()
export class AssetRequestService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly reviews: AssetReviewService,
    private readonly certificates: CertificateService,
    private readonly catalogue: ImportantDataCatalogue,
    private readonly lifecycle: AssetLifecycle,
  ) {}

  /** The registrant proposes new facts (every field but the rights, which move by transfer). */
  async requestChange(principal: Principal, id: string, patch: Partial<AssetInput>, reason: string) {
    if ('rights' in patch)
      throw new ValidationFailed('rights: rights move by a transfer request, not a change');
    return this.file(principal, id, 'change', reason, async (_em, asset) => {
      const input: AssetInput = { ...inputOf(asset), ...patch };
      assessInput(input);
      return input as unknown as Record<string, unknown>;
    });
  }

  /** The registrant or a holder of a right proposes the new holders and shares of all three rights (DE 35). */
  async requestTransfer(principal: Principal, id: string, rights: RightInput[], reason: string) {
    enforce(checkRightShares(rights));
    return this.file(principal, id, 'transfer', reason, async (em, asset) => {
      if (
        asset.registrantId !== principal.organisationId &&
        !asset.rights.some((r) => r.organisationId === principal.organisationId)
      )
        throw new Forbidden('only the registrant or a rights holder may propose a transfer', 'not_a_holder');
      await admittedHolders(
        em,
        rights.map((r) => r.organisationId),
      );
      return { rights: rights.map((r) => ({ ...r })) };
    });
  }

  /**
   * 注销: the registrant asks and the operator decides; the operator itself cancels at once (its decision is the
   * review), e.g. after an upheld objection.
   */
  async cancel(
    principal: Principal,
    id: string,
    reason: string,
  ): Promise<{ asset: Asset; request: AssetRequest }> {
    const byOperator = principal.roles.includes('operator');
    return this.uow.run(async (em) => {
      const request = await this.fileIn(
        em,
        principal,
        id,
        'cancellation',
        reason,
        () => Promise.resolve(null),
        byOperator,
      );
      const asset = byOperator
        ? await this.decideIn(em, principal, id, request.id, 'approve', reason)
        : await em.findOneOrFail(Asset, { id });
      return { asset, request: await em.findOneOrFail(AssetRequest, { id: request.id }, { refresh: true }) };
    });
  }

  /** 异议: any admitted organisation objects to a registration, with its reason. */
  async object(principal: Principal, id: string, reason: string): Promise<AssetRequest> {
    return this.file(
      principal,
      id,
      'objection',
      reason,
      (_em, asset) => {
        if (asset.registrantId === principal.organisationId)
          throw new Conflict(
            'a registrant does not object to its own asset; it may change or cancel it',
            'own_asset',
          );
        return Promise.resolve(null);
      },
      true,
    );
  }

  async requests(principal: Principal, id: string): Promise<AssetRequest[]> {
    const asset = await this.reader(principal, id);
    return this.uow.read((em) =>
      em.find(
        AssetRequest,
        {
          assetId: asset.id,
          // An objector sees its own objections; the asset's side and overseers see all.
          ...(isOverseer(principal) || mayRead(principal, asset)
            ? {}
            : { requestedByOrganisationId: principal.organisationId }),
        },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
    );
  }

  async request(principal: Principal, id: string, requestId: string): Promise<AssetRequest> {
    const found = (await this.requests(principal, id)).find((r) => r.id === requestId);
    if (!found) throw new NotFound('request');
    return found;
  }

  /**
   * The operator's decision on a pending request. Approval applies it by a conditional update of the asset from
   * the state the request was made against (a change overtaken by another is refused, not merged), re-issues the
   * certificate where the facts or status changed, updates the DS 22 catalogue and withdraws listings that the new
   * state makes wrong.
   */
  async decide(
    principal: Principal,
    id: string,
    requestId: string,
    decision: ReviewDecision,
    reason: string,
  ): Promise<Asset> {
    return this.uow.run((em) => this.decideIn(em, principal, id, requestId, decision, reason));
  }

  private async decideIn(
    em: EntityManager,
    principal: Principal,
    id: string,
    requestId: string,
    decision: ReviewDecision,
    reason: string,
  ): Promise<Asset> {
    const before = await lockAsset(em, id);
    if (!before) throw new NotFound('asset');
    const request = await em.findOne(AssetRequest, { id: requestId, assetId: id });
    if (!request) throw new NotFound('request');
    if (request.status !== 'pending')
      throw new Conflict(`the request is already ${request.status}`, 'invalid_transition');
    const to: RequestStatus = decision === 'approve' ? 'approved' : DECIDED[decision];
    const closed = await em.nativeUpdate(
      AssetRequest,
      { id: requestId, status: 'pending' },
      { status: to, decisionReason: reason, decidedAt: this.clock.now() },
    );
    if (closed === 0) throw new Conflict('the request was decided meanwhile', 'invalid_transition');
    if (decision === 'approve') await this.apply(em, principal, before, request, reason);
    const action =
      request.kind === 'objection'
        ? decision === 'approve'
          ? 'asset.objectionUpheld'
          : 'asset.objectionDismissed'
        : `asset.${request.kind}${decision === 'approve' ? 'Approved' : decision === 'reject' ? 'Rejected' : 'ChangesRequested'}`;
    const [entry] = await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action,
        subjectIds: [id, before.registrantId, request.id],
        payload: { requestId, kind: request.kind, decision, reason },
      },
    ]);
    await this.reviews.history(em, principal, {
      assetId: id,
      requestId,
      subject: request.kind,
      decision,
      reason,
      findings: null,
      factsHash: null,
      ledgerIndex: entry.index,
    });
    return em.findOneOrFail(Asset, { id }, { refresh: true });
  }

  /** Reinstates an asset suspended by an upheld objection. */
  async reinstate(principal: Principal, id: string, reason: string): Promise<Asset> {
    return this.uow.run(async (em) => {
      const before = await lockAsset(em, id);
      if (!before) throw new NotFound('asset');
      const was = catalogueState(before);
      const after = await this.move(em, before, ['suspended'], 'registered', reason);
      const [entry] = await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.reinstated',
          subjectIds: [id, before.registrantId],
          payload: { from: 'suspended', to: 'registered', reason },
        },
      ]);
      await this.reviews.history(em, principal, {
        assetId: id,
        requestId: null,
        subject: 'status',
        decision: 'reinstate',
        reason,
        findings: null,
        factsHash: null,
        ledgerIndex: entry.index,
      });
      await this.catalogue.changed(em, actorOf(principal), was, catalogueState(after));
      return after;
    });
  }

  private async apply(
    em: EntityManager,
    principal: Principal,
    before: Asset,
    request: AssetRequest,
    reason: string,
  ): Promise<void> {
    const actor = actorOf(principal);
    // Taken before any update: the refreshes below update the same managed instance.
    const was = catalogueState(before);
    const wasListedAs = listingKey(before);
    let after: Asset;
    switch (request.kind) {
      case 'change':
      case 'transfer': {
        const input: AssetInput =
          request.kind === 'change'
            ? { ...(request.proposed as unknown as AssetInput), rights: inputOf(before).rights }
            : { ...inputOf(before), rights: (request.proposed as { rights: RightInput[] }).rights };
        const assessed = assessInput(input);
        if (request.kind === 'change')
          await this.reviews.requireSecurityReview(em, before, input, assessed.level);
        const names = await admittedHolders(
          em,
          input.rights.map((r) => r.organisationId),
        );
        const moved = await em.nativeUpdate(
          Asset,
          { id: before.id, status: 'registered', version: request.baseVersion },
          {
            ...rowFields(input, assessed, names),
            version: request.baseVersion + 1,
            updatedAt: this.clock.now(),
          },
        );
        if (moved === 0)
          throw new Conflict(
            'the asset changed since the request was made (or is no longer registered); the request must be made again',
            'stale_request',
          );
        after = await em.findOneOrFail(Asset, { id: before.id }, { refresh: true });
        // Listings react before the ledger's append lock is taken: asset row, listing rows, ledger, in that order.
        if (listingKey(after) !== wasListedAs)
          await this.lifecycle.withdrawn(
            em,
            before.id,
            `${request.kind} approved: listings must be built again`,
          );
        await this.ledger.record(em, [
          {
            actor,
            action: request.kind === 'change' ? 'asset.changed' : 'asset.transferred',
            subjectIds: [
              before.id,
              before.registrantId,
              ...new Set(input.rights.map((r) => r.organisationId)),
            ],
            payload: { requestId: request.id, version: after.version, level: after.level, reason },
          },
        ]);
        await this.issueFor(em, after, actor);
        break;
      }
      case 'cancellation': {
        after = await this.move(em, before, ['registered', 'suspended'], 'cancelled', reason);
        await this.lifecycle.withdrawn(em, before.id, `registration cancelled: ${reason}`);
        await this.ledger.record(em, [
          {
            actor,
            action: 'asset.cancelled',
            subjectIds: [before.id, before.registrantId],
            payload: { requestId: request.id, from: was.status, reason },
          },
        ]);
        await this.issueFor(em, after, actor);
        break;
      }
      case 'objection': {
        after = await this.move(em, before, ['registered'], 'suspended', reason);
        await this.lifecycle.withdrawn(em, before.id, `objection upheld: ${reason}`);
        await this.ledger.record(em, [
          {
            actor,
            action: 'asset.suspended',
            subjectIds: [before.id, before.registrantId],
            payload: { requestId: request.id, reason },
          },
        ]);
        break;
      }
    }
    await this.catalogue.changed(em, actor, was, catalogueState(after));
  }

  private async issueFor(
    em: EntityManager,
    asset: Asset,
    actor: { accountId: string | null; organisationId: string | null },
  ) {
    const registrant = await em.findOneOrFail(Organisation, { id: asset.registrantId });
    await this.certificates.issue(
      em,
      asset,
      registrant.name,
      asset.status === 'cancelled' ? 'cancelled' : 'registered',
      actor,
    );
  }

  /** A conditional status change: from one of `from` only, so parallel decisions cannot both take effect. */
  private async move(
    em: EntityManager,
    asset: Asset,
    from: readonly AssetStatus[],
    to: AssetStatus,
    reason: string,
  ): Promise<Asset> {
    const moved = await em.nativeUpdate(
      Asset,
      { id: asset.id, status: { $in: [...from] } },
      { status: to, statusReason: reason, updatedAt: this.clock.now() },
    );
    if (moved === 0) {
      const current = await em.findOneOrFail(Asset, { id: asset.id }, { refresh: true });
      throw new Conflict(`cannot make an asset that is ${current.status} ${to}`, 'invalid_transition');
    }
    return em.findOneOrFail(Asset, { id: asset.id }, { refresh: true });
  }

  private async reader(principal: Principal, id: string): Promise<Asset> {
    const asset = await this.uow.read((em) => em.findOne(Asset, { id }));
    if (!asset) throw new NotFound('asset');
    // Anyone admitted may object to a registered asset, so it may see that the asset exists and its requests.
    if (!mayRead(principal, asset) && asset.status !== 'registered' && asset.status !== 'suspended')
      throw new NotFound('asset');
    return asset;
  }

  /**
   * Files a request. `anyone`: any admitted organisation may file it (objections; the operator's own
   * cancellation); otherwise only the registrant (and, for transfers, the holders, checked by `propose`).
   */
  private async file(
    principal: Principal,
    id: string,
    kind: RequestKind,
    reason: string,
    propose: (em: EntityManager, asset: Asset) => Promise<Record<string, unknown> | null>,
    anyone = false,
  ): Promise<AssetRequest> {
    return this.uow.run((em) => this.fileIn(em, principal, id, kind, reason, propose, anyone));
  }

  private async fileIn(
    em: EntityManager,
    principal: Principal,
    id: string,
    kind: RequestKind,
    reason: string,
    propose: (em: EntityManager, asset: Asset) => Promise<Record<string, unknown> | null>,
    anyone = false,
  ): Promise<AssetRequest> {
    const asset = await lockAsset(em, id);
    const visible =
      asset && (mayRead(principal, asset) || (anyone && REQUESTABLE[kind].includes(asset.status)));
    if (!asset || !visible) throw new NotFound('asset');
    if (!anyone && kind !== 'transfer' && asset.registrantId !== principal.organisationId)
      throw new Forbidden(`only the registrant may request a ${kind}`, 'not_registrant');
    if (!REQUESTABLE[kind].includes(asset.status))
      throw new Conflict(
        `cannot request a ${kind} of an asset that is ${asset.status}`,
        'invalid_transition',
      );
    if (kind !== 'objection') {
      const open = await em.count(AssetRequest, { assetId: id, kind, status: 'pending' });
      if (open > 0)
        throw new Conflict(`a ${kind} request of this asset is already pending`, 'request_pending');
    }
    const proposed = await propose(em, asset);
    const request = em.create(AssetRequest, {
      id: newId(),
      assetId: id,
      kind,
      status: 'pending',
      requestedByOrganisationId: principal.organisationId,
      requestedByAccountId: principal.accountId,
      baseVersion: asset.version,
      proposed,
      reason,
      decisionReason: null,
      decidedAt: null,
      createdAt: this.clock.now(),
    });
    await em.flush();
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: REQUESTED_ACTION[kind],
        subjectIds: [id, asset.registrantId, request.id],
        payload: { requestId: request.id, kind, baseVersion: asset.version, reason },
      },
    ]);
    return request;
  }
}
