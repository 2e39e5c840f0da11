import { defineEntity, p } from '@mikro-orm/core';
import type { DatasetManifest } from '../dataset-manifest.js';

/**
 * uploading → ready (every chunk received, by a conditional update); a ready version never changes, except that a
 * destruction (DS 37) moves it to `destroyed`, final, its blobs removed.
 */
export const DATASET_STATES = ['uploading', 'ready', 'destroyed'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

/** One version of an asset's encrypted dataset: its manifest (columns, chunk hashes) and where its upload stands. */
export const DatasetSchema = defineEntity({
  name: 'Dataset',
  tableName: 'datasets',
  properties: {
    id: p.string().primary().length(36),
    assetId: p.string().length(36),
    /** 1, 2, … per asset, in the order uploads started. */
    version: p.integer(),
    /** The uploading merchant's organisation. */
    organisationId: p.string().length(36),
    uploadedByAccountId: p.string().length(36),
    state: p.string().$type<DatasetState>().length(16),
    paramSet: p.string().length(32),
    scheme: p.string().length(8),
    rowCount: p.bigint('number'),
    chunkCount: p.integer(),
    totalBytes: p.bigint('number'),
    manifest: p.json<DatasetManifest>(),
    /** SHA-256 (hex) of the manifest's RFC 8785 canonical JSON. */
    manifestHash: p.string().length(64),
    /** RFC 9162 Merkle root (hex) over the chunks' SHA-256s in order, set on completion. */
    chunksRoot: p.string().length(64).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    completedAt: p.datetime().nullable(),
  },
});
export class Dataset extends DatasetSchema.class {}
DatasetSchema.setClass(Dataset);

/** A chunk received and checked against the manifest; its bytes are the blob named by `sha256`. Append-only. */
export const DatasetChunkSchema = defineEntity({
  name: 'DatasetChunk',
  tableName: 'dataset_chunks',
  properties: {
    datasetId: p.string().primary().length(36),
    seq: p.integer().primary(),
    sha256: p.string().length(64),
    sizeBytes: p.bigint('number'),
    receivedByAccountId: p.string().length(36),
    receivedAt: p.datetime(),
  },
});
export class DatasetChunk extends DatasetChunkSchema.class {}
DatasetChunkSchema.setClass(DatasetChunk);

export const DATASET_ENTITIES = [DatasetSchema, DatasetChunkSchema];
