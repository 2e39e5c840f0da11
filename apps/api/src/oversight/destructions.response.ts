import { ApiProperty } from '@nestjs/swagger';
import { DESTRUCTION_STATES, type Destruction } from '@app/oversight';

class DestroyedDatasetView {
  @ApiProperty({ format: 'uuid' })
  datasetId!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ description: 'SHA-256 (hex) of the manifest' })
  manifestHash!: string;

  @ApiProperty({ type: String, nullable: true, description: 'RFC 9162 Merkle root (hex) over the chunks' })
  chunksRoot!: string | null;

  @ApiProperty({ type: [String], description: 'SHA-256 (hex) of each stored chunk' })
  blobs!: string[];
}

class DestroyedFileView {
  @ApiProperty({ format: 'uuid' })
  deliveryFileId!: string;

  @ApiProperty({ format: 'uuid' })
  listingId!: string;

  @ApiProperty({ description: 'SHA-256 (hex)' })
  sha256!: string;
}

class DestroyedEvaluationView {
  @ApiProperty({ format: 'uuid' })
  computationId!: string;

  @ApiProperty({ description: 'SHA-256 (hex) of the stored evaluation' })
  sha256!: string;
}

/** What an executed destruction destroyed: hashes only, as the ledger's `destruction.executed` proves it. */
export class DestroyedInventoryView {
  @ApiProperty({ type: [DestroyedDatasetView] })
  datasets!: DestroyedDatasetView[];

  @ApiProperty({ type: [DestroyedFileView] })
  deliveryFiles!: DestroyedFileView[];

  @ApiProperty({ type: [DestroyedEvaluationView] })
  evaluations!: DestroyedEvaluationView[];

  @ApiProperty({ type: [String], description: 'blobs another live record still uses: kept' })
  sharedBlobsKept!: string[];

  @ApiProperty({ type: [String], description: 'contract ids ended `data_destroyed`' })
  contractsEnded!: string[];

  @ApiProperty({ type: [String], description: 'listing ids withdrawn' })
  listingsWithdrawn!: string[];
}

/** A destruction request as its organisation and the overseers see it. */
export class DestructionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ enum: ['general', 'important', 'core'], description: 'the asset’s level when asked' })
  assetLevel!: string;

  @ApiProperty({ description: 'important or core data: a regulator approves first (DS 37)' })
  needsApproval!: boolean;

  @ApiProperty({ enum: DESTRUCTION_STATES })
  state!: string;

  @ApiProperty({ type: String, nullable: true })
  decisionReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: DestroyedInventoryView, nullable: true })
  inventory!: DestroyedInventoryView | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  executedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when every stored byte was gone (null between the execution and the removal)',
  })
  bytesRemovedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class DestructionPageResponse {
  @ApiProperty({ type: [DestructionResponse], description: 'newest first' })
  items!: DestructionResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

export const destructionView = (d: Destruction): DestructionResponse => ({
  id: d.id,
  assetId: d.assetId,
  organisationId: d.organisationId,
  reason: d.reason,
  assetLevel: d.assetLevel,
  needsApproval: d.needsApproval,
  state: d.state,
  decisionReason: d.decisionReason ?? null,
  decidedAt: d.decidedAt?.toISOString() ?? null,
  inventory: d.inventory
    ? {
        datasets: d.inventory.datasets.map((x) => ({ ...x, blobs: [...x.blobs] })),
        deliveryFiles: d.inventory.deliveryFiles.map((x) => ({ ...x })),
        evaluations: d.inventory.evaluations.map((x) => ({ ...x })),
        sharedBlobsKept: [...d.inventory.sharedBlobsKept],
        contractsEnded: [...d.inventory.contractsEnded],
        listingsWithdrawn: [...d.inventory.listingsWithdrawn],
      }
    : null,
  executedAt: d.executedAt?.toISOString() ?? null,
  bytesRemovedAt: d.bytesRemovedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});
