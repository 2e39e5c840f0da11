import {
  checkDeclaredLevel,
  checkOpenAttribute,
  checkRightShares,
  checkShareAttribute,
  classify,
  type AffectedObject,
  type Classification,
  type DataKind,
  type DataLevel,
  type DataRight,
  type Harm,
  type OpenAttribute,
  type ShareAttribute,
} from '@app/compliance';
import { ValidationFailed, enforce } from '@app/core';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { sortRights, toAssetColumn, type AssetColumn, type UpdateFrequency } from './core/asset-facts.js';
import type { Asset } from './entities/asset.entity.js';

export interface RightInput {
  right: DataRight;
  organisationId: string;
  shareBasisPoints: number;
}

/** What a merchant states when it registers an asset (the contract of `POST /v1/assets`). */
export interface AssetInput {
  title: string;
  description: string;
  industry: string;
  dataKind: DataKind;
  source: { method: string; description: string };
  columns: AssetColumn[];
  rowCount: number;
  updateFrequency: UpdateFrequency;
  timeRange: { start: string; end: string };
  classification: { affectedObject: AffectedObject; harm: Harm };
  declaredLevel: DataLevel | null;
  openAttribute: OpenAttribute;
  shareAttribute: ShareAttribute | null;
  rights: RightInput[];
}

/** `YYYY-MM-DD` naming a day that exists (no 2025-02-30). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The rules' verdict on an input: its computed classification and the level it is protected at. */
export interface Assessed {
  computed: Classification;
  level: DataLevel;
}

/**
 * The regulations' checks on a registration, each refusal a 422 naming its article: DS 21 (declared level not below
 * 表1's), DE 31 (open attribute not looser than the columns allow), DE 27 / DS 47 (share attribute for public data
 * only), DE 35 (three rights, integer shares summing to 10000). Plain-input mistakes are 400s.
 */
export function assessInput(input: AssetInput): Assessed {
  const names = input.columns.map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ValidationFailed(`columns: ${twice} is named twice`);
  for (const [field, day] of Object.entries(input.timeRange))
    if (!isCalendarDay(day))
      throw new ValidationFailed(`timeRange.${field}: ${day} is not a calendar day YYYY-MM-DD`);
  if (input.timeRange.start > input.timeRange.end)
    throw new ValidationFailed('timeRange: start is after end');
  const computed = classify(input.classification.affectedObject, input.classification.harm);
  if (input.declaredLevel) enforce(checkDeclaredLevel(input.declaredLevel, computed));
  enforce(checkOpenAttribute(input.openAttribute, input.dataKind, input.columns));
  enforce(checkShareAttribute(input.dataKind, input.shareAttribute));
  enforce(checkRightShares(input.rights));
  return { computed, level: input.declaredLevel ?? computed.level };
}

/** The input an asset row records. */
export function inputOf(asset: Asset): AssetInput {
  return {
    title: asset.title,
    description: asset.description,
    industry: asset.industry,
    dataKind: asset.dataKind,
    source: asset.source,
    columns: asset.columns,
    rowCount: asset.rowCount,
    updateFrequency: asset.updateFrequency,
    timeRange: { start: asset.timeRangeStart, end: asset.timeRangeEnd },
    classification: { affectedObject: asset.affectedObject, harm: asset.harm },
    declaredLevel: asset.declaredLevel ?? null,
    openAttribute: asset.openAttribute,
    shareAttribute: asset.shareAttribute ?? null,
    rights: asset.rights.map((r) => ({
      right: r.right,
      organisationId: r.organisationId,
      shareBasisPoints: r.shareBasisPoints,
    })),
  };
}

/** The asset row's fields for an assessed input; rights get their holders' names from `names`. */
export function rowFields(input: AssetInput, assessed: Assessed, names: ReadonlyMap<string, string>) {
  return {
    title: input.title,
    description: input.description,
    industry: input.industry,
    dataKind: input.dataKind,
    source: { method: input.source.method, description: input.source.description },
    columns: input.columns.map(toAssetColumn),
    rowCount: input.rowCount,
    updateFrequency: input.updateFrequency,
    timeRangeStart: input.timeRange.start,
    timeRangeEnd: input.timeRange.end,
    affectedObject: input.classification.affectedObject,
    harm: input.classification.harm,
    computedLevel: assessed.computed.level,
    declaredLevel: input.declaredLevel,
    level: assessed.level,
    levelJustification: assessed.computed.justification,
    openAttribute: input.openAttribute,
    shareAttribute: input.shareAttribute,
    rights: sortRights(input.rights).map((r) => ({
      right: r.right,
      organisationId: r.organisationId,
      name: names.get(r.organisationId) ?? '',
      shareBasisPoints: r.shareBasisPoints,
    })),
  };
}

/** What a security review is bound to: the SHA-256 of the canonical input it reviewed (any later edit needs another). */
export function inputHash(input: AssetInput): string {
  return (
    '0x' +
    createHash('sha256')
      .update(canonicalize(input) ?? '')
      .digest('hex')
  );
}
