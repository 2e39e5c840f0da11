import { ApiProperty } from '@nestjs/swagger';
import type { Dataset, DatasetChunk, DatasetRecord } from '@app/datasets';
import { CreateDatasetDto } from './datasets.dto.js';

export class DatasetSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ type: 'integer', description: '1, 2, … per asset; a ready version never changes' })
  version!: number;

  @ApiProperty({ enum: ['uploading', 'ready', 'destroyed'] })
  state!: string;

  @ApiProperty({ format: 'uuid', description: "the uploading merchant's organisation" })
  organisationId!: string;

  @ApiProperty({ example: 'ckks-8192-d1' })
  paramSet!: string;

  @ApiProperty({ enum: ['ckks', 'bfv'] })
  scheme!: string;

  @ApiProperty({ type: 'integer' })
  rowCount!: number;

  @ApiProperty({ type: 'integer' })
  chunkCount!: number;

  @ApiProperty({ type: 'integer' })
  totalBytes!: number;

  @ApiProperty({ description: "SHA-256 of the manifest's RFC 8785 canonical JSON (in the ledger)" })
  manifestHash!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "RFC 9162 Merkle root over the chunks' SHA-256s, once ready",
  })
  chunksRoot!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;
}

export class DatasetResponse extends DatasetSummaryResponse {
  @ApiProperty({ type: CreateDatasetDto, description: 'the manifest as declared' })
  manifest!: CreateDatasetDto;

  @ApiProperty({ type: [Number], description: 'the chunk numbers received, ascending' })
  receivedChunks!: number[];

  @ApiProperty({
    type: [Number],
    description: 'the chunk numbers still to upload, ascending (resume from these)',
  })
  missingChunks!: number[];

  @ApiProperty({ type: 'integer' })
  receivedBytes!: number;
}

export class DatasetListResponse {
  @ApiProperty({ type: [DatasetSummaryResponse], description: 'newest first' })
  datasets!: DatasetSummaryResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page (`after`), or null' })
  next!: string | null;
}

export class DatasetChunkResponse {
  @ApiProperty({ format: 'uuid' })
  datasetId!: string;

  @ApiProperty({ type: 'integer' })
  seq!: number;

  @ApiProperty()
  sha256!: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ description: 'false when this chunk had been received before (nothing new was stored)' })
  created!: boolean;
}

export function datasetSummary(d: Dataset): DatasetSummaryResponse {
  return {
    id: d.id,
    assetId: d.assetId,
    version: d.version,
    state: d.state,
    organisationId: d.organisationId,
    paramSet: d.paramSet,
    scheme: d.scheme,
    rowCount: Number(d.rowCount),
    chunkCount: d.chunkCount,
    totalBytes: Number(d.totalBytes),
    manifestHash: d.manifestHash,
    chunksRoot: d.chunksRoot ?? null,
    createdAt: d.createdAt.toISOString(),
    completedAt: d.completedAt?.toISOString() ?? null,
  };
}

export function datasetView({ dataset, chunks }: DatasetRecord): DatasetResponse {
  const received = new Set(chunks.map((c) => c.seq));
  return {
    ...datasetSummary(dataset),
    manifest: dataset.manifest,
    receivedChunks: chunks.map((c) => c.seq),
    missingChunks: [...Array(dataset.chunkCount).keys()].filter((n) => !received.has(n)),
    receivedBytes: chunks.reduce((sum, c) => sum + Number(c.sizeBytes), 0),
  };
}

export const chunkView = (chunk: DatasetChunk, created: boolean): DatasetChunkResponse => ({
  datasetId: chunk.datasetId,
  seq: chunk.seq,
  sha256: chunk.sha256,
  sizeBytes: Number(chunk.sizeBytes),
  receivedAt: chunk.receivedAt.toISOString(),
  created,
});
