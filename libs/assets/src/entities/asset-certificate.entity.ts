import { defineEntity, p } from '@mikro-orm/core';
import type { AssetCertificate, CertificateStatus } from '../core/certificate.js';

/** Every certificate issued, append-only; an asset's current one has the highest serial. */
export const AssetCertificateRecordSchema = defineEntity({
  name: 'AssetCertificateRecord',
  tableName: 'asset_certificates',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36),
    serial: p.integer(),
    version: p.integer(),
    status: p.string().$type<CertificateStatus>().length(16),
    registrationNumber: p.string().length(32),
    factsHash: p.string().length(66),
    ledgerIndex: p.bigint('number'),
    document: p.json<AssetCertificate>(),
    issuedAt: p.datetime(),
  },
});

export class AssetCertificateRecord extends AssetCertificateRecordSchema.class {}
AssetCertificateRecordSchema.setClass(AssetCertificateRecord);
