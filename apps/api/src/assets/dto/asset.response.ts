import { ApiProperty } from '@nestjs/swagger';
import {
  AFFECTED_OBJECTS,
  DATA_KINDS,
  DATA_LEVELS,
  DATA_RIGHTS,
  HARMS,
  OPEN_ATTRIBUTES,
  SHARE_ATTRIBUTES,
} from '@app/compliance';
import { ASSET_STATUSES, COLUMN_TYPES, UPDATE_FREQUENCIES } from '@app/assets';

export class SourceResponse {
  @ApiProperty()
  method!: string;

  @ApiProperty()
  description!: string;
}

export class ColumnResponse {
  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: COLUMN_TYPES })
  type!: string;

  @ApiProperty({ type: String, nullable: true })
  unit!: string | null;

  @ApiProperty()
  personalInformation!: boolean;

  @ApiProperty()
  tradeSecret!: boolean;

  @ApiProperty()
  public!: boolean;
}

export class TimeRangeResponse {
  @ApiProperty({ example: '2025-01-01' })
  start!: string;

  @ApiProperty({ example: '2025-12-31' })
  end!: string;
}

export class ClassificationResponse {
  @ApiProperty({ enum: AFFECTED_OBJECTS })
  affectedObject!: string;

  @ApiProperty({ enum: HARMS })
  harm!: string;
}

export class RightResponse {
  @ApiProperty({ enum: DATA_RIGHTS })
  right!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ description: 'the holder’s name when the facts were recorded' })
  name!: string;

  @ApiProperty({ example: 10000 })
  shareBasisPoints!: number;
}

export class ValuationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ format: 'uuid' })
  assessorId!: string;

  @ApiProperty({ enum: ['cost', 'income', 'market'] })
  method!: string;

  @ApiProperty({ example: '1250000000', description: 'integer fen, as a decimal string' })
  valueFen!: string;

  @ApiProperty({ example: '2026-11-30' })
  valuedOn!: string;

  @ApiProperty({ description: 'SHA-256 of the report file, lowercase hex' })
  reportSha256!: string;

  @ApiProperty({ description: 'the facts version valued' })
  assetVersion!: number;

  @ApiProperty()
  ledgerIndex!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AssetResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ASSET_STATUSES })
  status!: string;

  @ApiProperty({ description: 'the facts’ version: 1, +1 for each approved change or transfer' })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  registrantId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  industry!: string;

  @ApiProperty({ enum: DATA_KINDS })
  dataKind!: string;

  @ApiProperty({ type: SourceResponse })
  source!: SourceResponse;

  @ApiProperty({ type: [ColumnResponse] })
  columns!: ColumnResponse[];

  @ApiProperty()
  rowCount!: number;

  @ApiProperty({ enum: UPDATE_FREQUENCIES })
  updateFrequency!: string;

  @ApiProperty({ type: TimeRangeResponse })
  timeRange!: TimeRangeResponse;

  @ApiProperty({ type: ClassificationResponse })
  classification!: ClassificationResponse;

  @ApiProperty({ enum: DATA_LEVELS, description: 'the level the asset is protected at' })
  level!: string;

  @ApiProperty({ enum: DATA_LEVELS, description: 'the level DS 21 表1 gives' })
  computedLevel!: string;

  @ApiProperty({ enum: DATA_LEVELS, nullable: true, type: String })
  declaredLevel!: string | null;

  @ApiProperty({
    example: 'DS 21 表1: 严重危害 (serious harm) to 公共利益 (public interest) makes important data',
  })
  levelJustification!: string;

  @ApiProperty({ enum: OPEN_ATTRIBUTES })
  openAttribute!: string;

  @ApiProperty({ enum: SHARE_ATTRIBUTES, nullable: true, type: String })
  shareAttribute!: string | null;

  @ApiProperty({ type: [RightResponse] })
  rights!: RightResponse[];

  @ApiProperty({ type: String, nullable: true, example: 'HDDE-2026-000001' })
  registrationNumber!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  registeredAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the reason of the last decision' })
  statusReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AssetListResponse {
  @ApiProperty({ type: [AssetResponse] })
  assets!: AssetResponse[];
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  requestId!: string | null;

  @ApiProperty({
    enum: ['registration', 'change', 'transfer', 'cancellation', 'objection', 'security', 'status'],
  })
  subject!: string;

  @ApiProperty({ example: 'approve' })
  decision!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true, description: 'security review: hash of the input reviewed' })
  inputHash!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  reviewerOrganisationId!: string | null;

  @ApiProperty()
  ledgerIndex!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ReviewListResponse {
  @ApiProperty({ type: [ReviewResponse] })
  reviews!: ReviewResponse[];
}

export class AssetRequestResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ enum: ['change', 'transfer', 'cancellation', 'objection'] })
  kind!: string;

  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'changes-requested'] })
  status!: string;

  @ApiProperty({ format: 'uuid' })
  requestedByOrganisationId!: string;

  @ApiProperty({ description: 'the facts version the request was made against' })
  baseVersion!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'change: the complete new registration fields; transfer: {rights}',
  })
  proposed!: Record<string, unknown> | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  decisionReason!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  decidedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AssetRequestListResponse {
  @ApiProperty({ type: [AssetRequestResponse] })
  requests!: AssetRequestResponse[];
}

export class CancellationResponse {
  @ApiProperty({ type: AssetResponse, description: 'cancelled at once when the operator cancels' })
  asset!: AssetResponse;

  @ApiProperty({ type: AssetRequestResponse })
  request!: AssetRequestResponse;
}

export class ValuationListResponse {
  @ApiProperty({ type: [ValuationResponse] })
  valuations!: ValuationResponse[];
}

export class AssetDetailResponse extends AssetResponse {
  @ApiProperty({ type: [ValuationResponse], description: 'valuation reports by assessors (DE 42)' })
  valuations!: ValuationResponse[];
}

export class ImportantDataEntryResponse {
  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ type: String, nullable: true })
  registrationNumber!: string | null;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['important', 'core'] })
  level!: string;

  @ApiProperty({ enum: ['registered', 'suspended'] })
  status!: string;

  @ApiProperty({ enum: ['registrant', 'holder', 'registrant-and-holder'] })
  relation!: string;

  @ApiProperty()
  industry!: string;

  @ApiProperty()
  rowCount!: number;

  @ApiProperty()
  version!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  registeredAt!: string | null;
}

export class ImportantDataCatalogueResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ type: [ImportantDataEntryResponse] })
  entries!: ImportantDataEntryResponse[];
}
