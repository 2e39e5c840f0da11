import {
  toAssetColumn,
  type Asset,
  type AssetRequest,
  type AssetReview,
  type AssetValuation,
} from '@app/assets';
import type {
  AssetRequestResponse,
  AssetResponse,
  ImportantDataEntryResponse,
  ReviewResponse,
  ValuationResponse,
} from './dto/asset.response.js';

/** What the API shows of an asset: explicit fields, never the entity as stored. */
export const assetView = (a: Asset): AssetResponse => ({
  id: a.id,
  status: a.status,
  version: a.version,
  registrantId: a.registrantId,
  title: a.title,
  description: a.description,
  industry: a.industry,
  dataKind: a.dataKind,
  source: { method: a.source.method, description: a.source.description },
  columns: a.columns.map(toAssetColumn),
  rowCount: Number(a.rowCount),
  updateFrequency: a.updateFrequency,
  timeRange: { start: a.timeRangeStart, end: a.timeRangeEnd },
  classification: { affectedObject: a.affectedObject, harm: a.harm },
  level: a.level,
  computedLevel: a.computedLevel,
  declaredLevel: a.declaredLevel ?? null,
  levelJustification: a.levelJustification,
  openAttribute: a.openAttribute,
  shareAttribute: a.shareAttribute ?? null,
  rights: a.rights.map((r) => ({
    right: r.right,
    organisationId: r.organisationId,
    name: r.name,
    shareBasisPoints: r.shareBasisPoints,
  })),
  registrationNumber: a.registrationNumber ?? null,
  registeredAt: a.registeredAt ? new Date(a.registeredAt).toISOString() : null,
  statusReason: a.statusReason ?? null,
  createdAt: new Date(a.createdAt).toISOString(),
  updatedAt: new Date(a.updatedAt).toISOString(),
});

export const reviewView = (r: AssetReview): ReviewResponse => ({
  id: r.id,
  assetId: r.assetId,
  requestId: r.requestId ?? null,
  subject: r.subject,
  decision: r.decision,
  reason: r.reason,
  inputHash: r.factsHash ?? null,
  reviewerOrganisationId: r.reviewerOrganisationId ?? null,
  ledgerIndex: Number(r.ledgerIndex),
  createdAt: new Date(r.createdAt).toISOString(),
});

export const requestView = (r: AssetRequest): AssetRequestResponse => ({
  id: r.id,
  assetId: r.assetId,
  kind: r.kind,
  status: r.status,
  requestedByOrganisationId: r.requestedByOrganisationId,
  baseVersion: r.baseVersion,
  proposed: r.proposed ?? null,
  reason: r.reason,
  decisionReason: r.decisionReason ?? null,
  decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
  createdAt: new Date(r.createdAt).toISOString(),
});

export const valuationView = (v: AssetValuation): ValuationResponse => ({
  id: v.id,
  assetId: v.assetId,
  assessorId: v.assessorId,
  method: v.method,
  valueFen: v.valueFen.toString(),
  valuedOn: v.valuedOn,
  reportSha256: v.reportSha256,
  assetVersion: v.assetVersion,
  ledgerIndex: Number(v.ledgerIndex),
  createdAt: new Date(v.createdAt).toISOString(),
});

export const importantDataView = (a: Asset, organisationId: string): ImportantDataEntryResponse => {
  const registrant = a.registrantId === organisationId;
  const holder = a.rights.some((r) => r.right === 'holding' && r.organisationId === organisationId);
  return {
    assetId: a.id,
    registrationNumber: a.registrationNumber ?? null,
    title: a.title,
    level: a.level,
    status: a.status,
    relation: registrant && holder ? 'registrant-and-holder' : registrant ? 'registrant' : 'holder',
    industry: a.industry,
    rowCount: Number(a.rowCount),
    version: a.version,
    registeredAt: a.registeredAt ? new Date(a.registeredAt).toISOString() : null,
  };
};
