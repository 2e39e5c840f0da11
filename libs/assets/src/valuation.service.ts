import { Injectable } from '@nestjs/common';
import { Clock, Conflict, NotFound, RuleRefused, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { actorOf, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { mayRead } from './access.js';
import { Asset } from './entities/asset.entity.js';
import { AssetValuation, type ValuationMethod } from './entities/asset-valuation.entity.js';

export interface ValuationInput {
  method: ValuationMethod;
  /** Integer fen. */
  valueFen: bigint;
  /** YYYY-MM-DD. */
  valuedOn: string;
  /** SHA-256 of the report file, lowercase hex: the report itself stays with the parties. */
  reportSha256: string;
}

/** Valuation reports of registered assets by assessors (DE 42), attached to the asset, each a ledger entry. */
@Injectable()
export class ValuationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  async file(principal: Principal, assetId: string, input: ValuationInput): Promise<AssetValuation> {
    return this.uow.run(async (em) => {
      const asset = await em.findOne(Asset, { id: assetId });
      if (!asset || !mayRead(principal, asset)) throw new NotFound('asset');
      if (asset.status !== 'registered')
        throw new Conflict(
          `only a registered asset is valued; this one is ${asset.status}`,
          'invalid_transition',
        );
      if (
        asset.registrantId === principal.organisationId ||
        asset.rights.some((r) => r.organisationId === principal.organisationId)
      )
        throw new RuleRefused(
          'DE 42',
          'assessor_not_independent',
          'a valuation is by a third-party assessor; the registrant and the rights holders cannot value their own asset',
        );
      const [entry] = await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'asset.valuationFiled',
          subjectIds: [assetId, asset.registrantId, principal.organisationId],
          payload: {
            method: input.method,
            valueFen: input.valueFen.toString(),
            valuedOn: input.valuedOn,
            reportSha256: input.reportSha256,
            assetVersion: asset.version,
          },
        },
      ]);
      const valuation = em.create(AssetValuation, {
        id: newId(),
        assetId,
        assessorId: principal.organisationId,
        method: input.method,
        valueFen: input.valueFen,
        valuedOn: input.valuedOn,
        reportSha256: input.reportSha256,
        assetVersion: asset.version,
        ledgerIndex: entry.index,
        createdAt: this.clock.now(),
      });
      await em.flush();
      return valuation;
    });
  }

  /** Precondition: the caller may read the asset (checked by the asset's own read). */
  async of(assetId: string): Promise<AssetValuation[]> {
    return this.uow.read((em) => em.find(AssetValuation, { assetId }, { orderBy: { ledgerIndex: 'asc' } }));
  }
}
