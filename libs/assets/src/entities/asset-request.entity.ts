import { defineEntity, p } from '@mikro-orm/core';

export const REQUEST_KINDS = ['change', 'transfer', 'cancellation', 'objection'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'changes-requested'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** What is asked of a registered asset; the operator reviews it like the registration itself. */
export const AssetRequestSchema = defineEntity({
  name: 'AssetRequest',
  tableName: 'asset_requests',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36).index(),
    kind: p.string().$type<RequestKind>().length(16),
    status: p.string().$type<RequestStatus>().length(24),
    requestedByOrganisationId: p.string().length(36),
    requestedByAccountId: p.string().length(36),
    /** The facts' version the request was made against: approval refuses a request overtaken by another change. */
    baseVersion: p.integer(),
    /** Change: the complete new facts (registration fields); transfer: the new rights. */
    proposed: p.json<Record<string, unknown>>().nullable(),
    reason: p.string().length(1000),
    decisionReason: p.string().length(1000).nullable(),
    decidedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export class AssetRequest extends AssetRequestSchema.class {}
AssetRequestSchema.setClass(AssetRequest);
