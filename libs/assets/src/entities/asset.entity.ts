import { defineEntity, p } from '@mikro-orm/core';
import type {
  AffectedObject,
  DataKind,
  DataLevel,
  Harm,
  OpenAttribute,
  ShareAttribute,
} from '@app/compliance';
import type { AssetColumn, RightHolding, UpdateFrequency } from '../core/asset-facts.js';

/**
 * draft → submitted → registered (approved) | rejected | changes-requested (back to the merchant, editable, then
 * submitted again); registered → suspended (an upheld objection) → registered (reinstated) or cancelled;
 * registered → cancelled (注销); any of registered, suspended or cancelled → destroyed (DS 37, by a destruction).
 */
export const ASSET_STATUSES = [
  'draft',
  'submitted',
  'changes-requested',
  'registered',
  'rejected',
  'suspended',
  'cancelled',
  /** DS 37: its data was destroyed; final, never restored. */
  'destroyed',
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const AssetSchema = defineEntity({
  name: 'Asset',
  tableName: 'assets',
  properties: {
    id: p.string().primary().length(36),
    registrantId: p.string().length(36).index(),
    status: p.string().$type<AssetStatus>().length(24).index(),
    /** The facts' version: 1 until a change or transfer is approved. */
    version: p.integer(),
    title: p.string().length(200),
    description: p.string().length(4000),
    industry: p.string().length(64),
    dataKind: p.string().$type<DataKind>().length(16),
    source: p.json<{ method: string; description: string }>(),
    columns: p.json<AssetColumn[]>(),
    rowCount: p.bigint('number'),
    updateFrequency: p.string().$type<UpdateFrequency>().length(64),
    timeRangeStart: p.string().length(32),
    timeRangeEnd: p.string().length(32),
    affectedObject: p.string().$type<AffectedObject>().length(32),
    harm: p.string().$type<Harm>().length(32),
    computedLevel: p.string().$type<DataLevel>().length(16),
    declaredLevel: p.string().$type<DataLevel>().length(16).nullable(),
    level: p.string().$type<DataLevel>().length(16),
    levelJustification: p.string().length(500),
    openAttribute: p.string().$type<OpenAttribute>().length(16),
    shareAttribute: p.string().$type<ShareAttribute>().length(16).nullable(),
    rights: p.json<RightHolding[]>(),
    registrationNumber: p.string().length(32).nullable().unique(),
    registeredAt: p.datetime().nullable(),
    statusReason: p.string().length(1000).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class Asset extends AssetSchema.class {}
AssetSchema.setClass(Asset);
