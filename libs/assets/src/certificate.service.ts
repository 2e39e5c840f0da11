import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import type { Wallet } from 'ethers';
import { Clock, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { LEDGER_KEY, LedgerRecorder, type LedgerActor } from '@app/ledger';
import { toAssetColumn, type AssetFacts } from './core/asset-facts.js';
import {
  factsHash,
  signCertificate,
  verifyCertificate,
  type AssetCertificate,
  type CertificateStatus,
} from './core/certificate.js';
import { AssetCertificateRecord } from './entities/asset-certificate.entity.js';
import { Asset } from './entities/asset.entity.js';

/** What the public verification route answers. */
export interface CertificateCheck {
  valid: boolean;
  /** registered (valid), cancelled, suspended, superseded, unknown (not the exchange's), invalid (forged/changed). */
  status: 'registered' | 'cancelled' | 'suspended' | 'superseded' | 'unknown' | 'invalid';
  reason: string;
  signer: string | null;
  currentVersion: number | null;
}

/** The recorded facts of an asset as a certificate states them. */
export function factsOf(asset: Asset, registrantName: string): AssetFacts {
  return {
    title: asset.title,
    description: asset.description,
    registrant: { id: asset.registrantId, name: registrantName },
    industry: asset.industry,
    dataKind: asset.dataKind,
    source: { method: asset.source.method, description: asset.source.description },
    columns: asset.columns.map(toAssetColumn),
    rowCount: asset.rowCount,
    updateFrequency: asset.updateFrequency,
    timeRange: { start: asset.timeRangeStart, end: asset.timeRangeEnd },
    classification: {
      affectedObject: asset.affectedObject,
      harm: asset.harm,
      level: asset.level,
      computedLevel: asset.computedLevel,
      declaredLevel: asset.declaredLevel ?? null,
      justification: asset.levelJustification,
    },
    openAttribute: asset.openAttribute,
    shareAttribute: asset.shareAttribute ?? null,
    rights: asset.rights.map((r) => ({
      right: r.right,
      organisationId: r.organisationId,
      name: r.name,
      shareBasisPoints: r.shareBasisPoints,
    })),
  };
}

@Injectable()
export class CertificateService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
  ) {}

  get signerAddress(): string {
    return this.key.address;
  }

  /**
   * Issues the asset's next certificate inside the caller's transaction: the issuance is a ledger entry carrying
   * the facts hash, and the signed document names that entry's index. Precondition: `em` is inside the transaction
   * that moved the asset into the state the certificate states (so no other issuance for it runs concurrently),
   * and `asset` is that state, with a registration number.
   */
  async issue(
    em: EntityManager,
    asset: Asset,
    registrantName: string,
    status: CertificateStatus,
    actor: LedgerActor,
  ): Promise<AssetCertificate> {
    const facts = factsOf(asset, registrantName);
    const previous = await em.findOne(
      AssetCertificateRecord,
      { assetId: asset.id },
      { orderBy: { serial: 'desc' }, fields: ['serial'] },
    );
    const serial = (previous?.serial ?? 0) + 1;
    const now = this.clock.now();
    const registrationNumber = asset.registrationNumber!;
    const hash = factsHash(facts);
    const [entry] = await this.ledger.record(em, [
      {
        actor,
        action: 'asset.certificateIssued',
        subjectIds: [asset.id, asset.registrantId],
        payload: { registrationNumber, version: asset.version, status, serial, factsHash: hash },
      },
    ]);
    const document = await signCertificate(this.key, {
      format: 'hdde-asset-certificate/1',
      registrationNumber,
      assetId: asset.id,
      version: asset.version,
      status,
      issuedAt: now.toISOString(),
      ledgerIndex: entry.index,
      facts,
    });
    em.create(AssetCertificateRecord, {
      id: newId(),
      assetId: asset.id,
      serial,
      version: asset.version,
      status,
      registrationNumber,
      factsHash: document.factsHash,
      ledgerIndex: entry.index,
      document,
      issuedAt: now,
    });
    await em.flush();
    return document;
  }

  /** The asset's current certificate, or null before registration. */
  async current(assetId: string): Promise<AssetCertificate | null> {
    const record = await this.uow.read((em) =>
      em.findOne(AssetCertificateRecord, { assetId }, { orderBy: { serial: 'desc' } }),
    );
    return record?.document ?? null;
  }

  /**
   * Whether `document` is a genuine certificate of the exchange (its key's signature, its facts unchanged) of a
   * registration in force at that version. Never throws on bad input.
   */
  async verify(document: unknown): Promise<CertificateCheck> {
    const verdict = verifyCertificate(document, this.key.address);
    if (!verdict.ok)
      return {
        valid: false,
        status: 'invalid',
        reason: verdict.reason,
        signer: verdict.signer ?? null,
        currentVersion: null,
      };
    const c = verdict.certificate;
    const signer = verdict.signer;
    return this.uow.read(async (em) => {
      const asset = await em.findOne(Asset, { id: c.assetId });
      const record = asset
        ? await em.findOne(AssetCertificateRecord, {
            assetId: c.assetId,
            ledgerIndex: c.ledgerIndex,
            factsHash: c.factsHash,
          })
        : null;
      if (!asset || !record || asset.registrationNumber !== c.registrationNumber)
        return {
          valid: false,
          status: 'unknown' as const,
          reason: 'signed by the exchange’s key, but the exchange has no record of this certificate',
          signer,
          currentVersion: null,
        };
      const base = { valid: false, signer, currentVersion: asset.version };
      if (asset.status === 'cancelled')
        return {
          ...base,
          status: 'cancelled' as const,
          reason: `registration ${c.registrationNumber} was cancelled${asset.statusReason ? `: ${asset.statusReason}` : ''}`,
        };
      if (c.version < asset.version)
        return {
          ...base,
          status: 'superseded' as const,
          reason: `version ${c.version} was superseded by version ${asset.version}`,
        };
      if (asset.status === 'suspended')
        return {
          ...base,
          status: 'suspended' as const,
          reason: `registration ${c.registrationNumber} is suspended${asset.statusReason ? `: ${asset.statusReason}` : ''}`,
        };
      return {
        ...base,
        valid: true,
        status: 'registered' as const,
        reason: `genuine certificate of registration ${c.registrationNumber}, version ${c.version}, in force`,
      };
    });
  }
}
