import { isOverseer } from '@app/identity';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { NotFound } from '@app/core';
import { UnitOfWork } from '@app/database';
import type { Principal } from '@app/identity';
import { LedgerRecorder, type LedgerActor } from '@app/ledger';
import type { DataLevel } from '@app/compliance';
import { Asset, type AssetStatus } from './entities/asset.entity.js';

/** An asset counts in its holders' DS 22 catalogue while it is important or core and registered (or suspended). */
const CATALOGUED_LEVELS: readonly DataLevel[] = ['important', 'core'];
const CATALOGUED_STATUSES: readonly AssetStatus[] = ['registered', 'suspended'];

/** The part of an asset the catalogue depends on. */
export interface CatalogueState {
  id: string;
  registrantId: string;
  status: AssetStatus;
  level: DataLevel;
  version: number;
  title: string;
  registrationNumber: string | null;
  rights: { right: string; organisationId: string }[];
}

export const catalogueState = (a: Asset): CatalogueState => ({
  id: a.id,
  registrantId: a.registrantId,
  status: a.status,
  level: a.level,
  version: a.version,
  title: a.title,
  registrationNumber: a.registrationNumber ?? null,
  rights: a.rights.map((r) => ({ right: r.right, organisationId: r.organisationId })),
});

/** The organisations whose catalogue lists the asset: its registrant and the holders of its holding right (持有权). */
function cataloguedFor(state: CatalogueState | null): Set<string> {
  if (!state || !CATALOGUED_LEVELS.includes(state.level) || !CATALOGUED_STATUSES.includes(state.status))
    return new Set();
  return new Set([
    state.registrantId,
    ...state.rights.filter((r) => r.right === 'holding').map((r) => r.organisationId),
  ]);
}

/**
 * The catalogue of important and core data per organisation (DS 22, DS 37, DS 39), kept from registered assets.
 * Each change to an organisation's catalogue is a ledger entry `catalogue.importantDataChanged` naming the
 * organisation and the asset, so regulators find every change with the ledger search.
 */
@Injectable()
export class ImportantDataCatalogue {
  constructor(
    private readonly ledger: LedgerRecorder,
    private readonly uow: UnitOfWork,
  ) {}

  /** Precondition: inside the transaction that moved the asset from `before` to `after`. */
  async changed(
    em: EntityManager,
    actor: LedgerActor,
    before: CatalogueState | null,
    after: CatalogueState,
  ): Promise<void> {
    const was = cataloguedFor(before);
    const is = cataloguedFor(after);
    const events = [...new Set([...was, ...is])].sort().flatMap((organisationId) => {
      const change = !was.has(organisationId)
        ? 'added'
        : !is.has(organisationId)
          ? 'removed'
          : before!.level !== after.level ||
              before!.version !== after.version ||
              before!.status !== after.status
            ? 'updated'
            : null;
      if (!change) return [];
      return [
        {
          actor,
          action: 'catalogue.importantDataChanged',
          subjectIds: [organisationId, after.id],
          payload: {
            organisationId,
            assetId: after.id,
            change,
            title: after.title,
            level: after.level,
            status: after.status,
            version: after.version,
            registrationNumber: after.registrationNumber,
          },
        },
      ];
    });
    await this.ledger.record(em, events);
  }

  /** The catalogue as its organisation, operators and regulators read it; anyone else is told it does not exist. */
  async read(principal: Principal, organisationId: string): Promise<Asset[]> {
    if (organisationId !== principal.organisationId && !isOverseer(principal))
      throw new NotFound('organisation');
    return this.uow.read((em) => this.of(em, organisationId));
  }

  /** The organisation's catalogue: its registered (or suspended) important and core assets. */
  async of(em: EntityManager, organisationId: string): Promise<Asset[]> {
    return (await this.ofEveryOrganisation(em)).get(organisationId) ?? [];
  }

  /**
   * Every organisation's catalogue in one statement, oldest registration first: for the regulators' views and the
   * risk-report schedule, which need all holders at once.
   */
  async ofEveryOrganisation(em: EntityManager): Promise<Map<string, Asset[]>> {
    const candidates = await em.find(
      Asset,
      { level: { $in: [...CATALOGUED_LEVELS] }, status: { $in: [...CATALOGUED_STATUSES] } },
      { orderBy: { registeredAt: 'asc', id: 'asc' } },
    );
    const catalogues = new Map<string, Asset[]>();
    for (const asset of candidates)
      for (const organisationId of cataloguedFor(catalogueState(asset)))
        (catalogues.get(organisationId) ?? catalogues.set(organisationId, []).get(organisationId)!).push(
          asset,
        );
    return catalogues;
  }
}
