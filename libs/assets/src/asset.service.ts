import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, NotFound, RuleRefused, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, isOverseer, Organisation, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { mayRead } from './access.js';
import { lockAsset } from './asset-lock.js';
import { assessInput, inputOf, rowFields, type AssetInput } from './asset-input.js';
import { Asset, type AssetStatus } from './entities/asset.entity.js';
import { AssetReview } from './entities/asset-review.entity.js';

export const EDITABLE: readonly AssetStatus[] = ['draft', 'changes-requested'];

/**
 * Names of `ids`, each an admitted organisation, or a 422 naming DE 35 (a right can only be held by a party the
 * exchange admitted). Precondition: inside the use case's transaction.
 */
export async function admittedHolders(
  em: EntityManager,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await em.find(Organisation, { id: { $in: unique } }, { fields: ['id', 'name', 'status'] });
  const byId = new Map(found.map((o) => [o.id, o]));
  for (const id of unique) {
    const organisation = byId.get(id);
    if (!organisation)
      throw new RuleRefused(
        'DE 35',
        'holder_not_found',
        `rights holder ${id} is not an organisation of the exchange`,
      );
    if (organisation.status !== 'admitted')
      throw new RuleRefused(
        'DE 35',
        'holder_not_admitted',
        `rights holder ${id} (${organisation.name}) is not admitted (${organisation.status})`,
      );
  }
  return new Map(found.map((o) => [o.id, o.name]));
}

/** Registration of data assets by merchants: drafts, edits and submission for review (数据资产登记). */
@Injectable()
export class AssetService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  /** A draft registered by the caller's organisation, after every rule of the regulations passed. */
  async register(principal: Principal, input: AssetInput): Promise<Asset> {
    const assessed = assessInput(input);
    return this.uow.run(async (em) => {
      const names = await admittedHolders(
        em,
        input.rights.map((r) => r.organisationId),
      );
      const now = this.clock.now();
      const asset = em.create(Asset, {
        id: newId(),
        registrantId: principal.organisationId,
        status: 'draft',
        version: 1,
        ...rowFields(input, assessed, names),
        registrationNumber: null,
        registeredAt: null,
        statusReason: null,
        createdAt: now,
        updatedAt: now,
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.drafted',
          subjectIds: [asset.id, principal.organisationId],
          payload: {
            title: asset.title,
            level: asset.level,
            computedLevel: asset.computedLevel,
            justification: asset.levelJustification,
            openAttribute: asset.openAttribute,
          },
        },
      ]);
      return asset;
    });
  }

  /** Edits a draft (or one sent back for changes): the merged input passes every rule again. */
  async update(principal: Principal, id: string, patch: Partial<AssetInput>): Promise<Asset> {
    return this.uow.run(async (em) => {
      const asset = await this.ownDraft(em, principal, id);
      const input: AssetInput = { ...inputOf(asset), ...patch };
      const assessed = assessInput(input);
      const names = await admittedHolders(
        em,
        input.rights.map((r) => r.organisationId),
      );
      const moved = await em.nativeUpdate(
        Asset,
        { id, registrantId: principal.organisationId, status: { $in: [...EDITABLE] } },
        { ...rowFields(input, assessed, names), updatedAt: this.clock.now() },
      );
      if (moved === 0) throw new Conflict('the asset is no longer a draft', 'invalid_transition');
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.edited',
          subjectIds: [id, principal.organisationId],
          payload: { fields: Object.keys(patch).sort(), level: assessed.level },
        },
      ]);
      return em.findOneOrFail(Asset, { id }, { refresh: true });
    });
  }

  async submit(principal: Principal, id: string): Promise<Asset> {
    return this.uow.run(async (em) => {
      const asset = await this.ownDraft(em, principal, id);
      // The holders may have been suspended since the draft was written.
      await admittedHolders(
        em,
        asset.rights.map((r) => r.organisationId),
      );
      const moved = await em.nativeUpdate(
        Asset,
        { id, registrantId: principal.organisationId, status: asset.status },
        { status: 'submitted', statusReason: null, updatedAt: this.clock.now() },
      );
      if (moved === 0) throw new Conflict('the asset is no longer a draft', 'invalid_transition');
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.submitted',
          subjectIds: [id, principal.organisationId],
          payload: { from: asset.status, to: 'submitted', level: asset.level },
        },
      ]);
      return em.findOneOrFail(Asset, { id }, { refresh: true });
    });
  }

  async get(principal: Principal, id: string): Promise<Asset> {
    const asset = await this.uow.read((em) => em.findOne(Asset, { id }));
    if (!asset || !mayRead(principal, asset)) throw new NotFound('asset');
    return asset;
  }

  /** The caller's own assets (as registrant); operators and regulators see all. Newest first, at most 500. */
  async list(principal: Principal, status?: AssetStatus): Promise<Asset[]> {
    return this.uow.read((em) =>
      em.find(
        Asset,
        {
          ...(isOverseer(principal) ? {} : { registrantId: principal.organisationId }),
          ...(status ? { status } : {}),
        },
        { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 },
      ),
    );
  }

  async reviews(principal: Principal, id: string): Promise<AssetReview[]> {
    await this.get(principal, id);
    return this.uow.read((em) => em.find(AssetReview, { assetId: id }, { orderBy: { ledgerIndex: 'asc' } }));
  }

  private async ownDraft(em: EntityManager, principal: Principal, id: string): Promise<Asset> {
    const asset = await lockAsset(em, id);
    if (!asset || asset.registrantId !== principal.organisationId) throw new NotFound('asset');
    if (!EDITABLE.includes(asset.status))
      throw new Conflict(
        `the asset is ${asset.status}; only a draft can be changed or submitted`,
        'invalid_transition',
      );
    return asset;
  }
}
