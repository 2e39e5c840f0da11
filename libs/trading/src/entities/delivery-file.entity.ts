import { defineEntity, p } from '@mikro-orm/core';

/** A file the merchant uploaded for a file-delivery listing: kept under DATA_DIR by its SHA-256, never changed. */
export const DeliveryFileSchema = defineEntity({
  name: 'DeliveryFile',
  tableName: 'delivery_files',
  properties: {
    id: p.string().primary().length(36),
    listingId: p.string().length(36).index(),
    organisationId: p.string().length(36),
    name: p.string().length(255),
    mediaType: p.string().length(100),
    sizeBytes: p.bigint(),
    /** 0x + 64 lowercase hex. */
    sha256: p.string().length(66),
    uploadedByAccountId: p.string().length(36),
    createdAt: p.datetime(),
  },
});
export class DeliveryFile extends DeliveryFileSchema.class {}
DeliveryFileSchema.setClass(DeliveryFile);
