import { defineEntity, p } from '@mikro-orm/core';
import type { DataLevel } from '@app/compliance';
import type { DestructionState } from '../core/destruction-states.js';

/** What a destruction destroyed, as the ledger's `destruction.executed` proves it (hashes only, no data). */
export interface DestroyedInventory {
  datasets: {
    datasetId: string;
    version: number;
    manifestHash: string;
    chunksRoot: string | null;
    blobs: string[];
  }[];
  deliveryFiles: { deliveryFileId: string; listingId: string; sha256: string }[];
  evaluations: { computationId: string; sha256: string }[];
  /** Blobs another live dataset still uses (the same evaluation keys, say): marked, not removed. */
  sharedBlobsKept: string[];
  contractsEnded: string[];
  listingsWithdrawn: string[];
}

/** A merchant's request to destroy an asset's data held by the platform (DS 37); see `core/destruction-states.ts`. */
export const DestructionSchema = defineEntity({
  name: 'Destruction',
  tableName: 'destructions',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36),
    organisationId: p.string().length(36),
    requestedByAccountId: p.string().length(36),
    reason: p.string().length(2000),
    /** The asset's level when asked: important and core need a regulator's approval first. */
    assetLevel: p.string().$type<DataLevel>().length(16),
    needsApproval: p.boolean(),
    state: p.string().$type<DestructionState>().length(16),
    decidedByAccountId: p.string().length(36).nullable(),
    decidedAt: p.datetime().nullable(),
    decisionReason: p.string().length(2000).nullable(),
    inventory: p.json<DestroyedInventory>().nullable(),
    executedAt: p.datetime().nullable(),
    /** When the stored bytes were gone; null between the commit and the removal (a sweep finishes it). */
    bytesRemovedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export class Destruction extends DestructionSchema.class {}
DestructionSchema.setClass(Destruction);

/**
 * A blob a destruction took, in the store that held it. Pending, then `removingAt` once its removal began (new
 * references to the bytes are refused from then on), then `removedAt` with its `outcome`: `removed`, or `kept`
 * because a record stored the same bytes again after the execution and still uses them.
 */
export const DestroyedBlobSchema = defineEntity({
  name: 'DestroyedBlob',
  tableName: 'destroyed_blobs',
  properties: {
    destructionId: p.string().primary().length(36),
    /** `blobs`: the dataset blob store; `delivery-files`: the delivery file store. */
    store: p.string().primary().$type<'blobs' | 'delivery-files'>().length(16),
    sha256: p.string().primary().length(64),
    removingAt: p.datetime().nullable(),
    removedAt: p.datetime().nullable(),
    outcome: p.string().$type<'removed' | 'kept'>().length(8).nullable(),
  },
});
export class DestroyedBlob extends DestroyedBlobSchema.class {}
DestroyedBlobSchema.setClass(DestroyedBlob);
