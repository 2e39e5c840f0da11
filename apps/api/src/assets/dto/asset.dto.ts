import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  AFFECTED_OBJECTS,
  DATA_KINDS,
  DATA_LEVELS,
  DATA_RIGHTS,
  HARMS,
  OPEN_ATTRIBUTES,
  SHARE_ATTRIBUTES,
  type AffectedObject,
  type DataKind,
  type DataLevel,
  type DataRight,
  type Harm,
  type OpenAttribute,
  type ShareAttribute,
} from '@app/compliance';
import {
  ASSET_STATUSES,
  COLUMN_TYPES,
  UPDATE_FREQUENCIES,
  type AssetStatus,
  type ColumnType,
  type UpdateFrequency,
} from '@app/assets';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class SourceDto {
  @ApiProperty({
    example: 'sensor',
    description: 'how the data was collected, e.g. sensor, survey, transaction-log',
  })
  @IsString()
  @Length(1, 200)
  method!: string;

  @ApiProperty({ example: '全市 1200 个路口的地磁检测器，每 5 分钟汇总' })
  @IsString()
  @Length(1, 2000)
  description!: string;
}

export class ColumnDto {
  @ApiProperty({ example: 'vehicle_count' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: COLUMN_TYPES })
  @IsIn(COLUMN_TYPES)
  type!: ColumnType;

  @ApiProperty({ required: false, type: String, nullable: true, example: 'vehicles/5min' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  unit?: string | null;

  @ApiProperty({ description: 'the column holds personal information (DE 31)' })
  @IsBoolean()
  personalInformation!: boolean;

  @ApiProperty({ description: 'the column holds a trade secret (DE 31)' })
  @IsBoolean()
  tradeSecret!: boolean;

  @ApiProperty({ description: 'the merchant declares the column public, for filtering in the catalogue' })
  @IsBoolean()
  public!: boolean;
}

export class TimeRangeDto {
  @ApiProperty({ example: '2025-01-01', description: 'first day the data covers (YYYY-MM-DD)' })
  @Matches(DATE, { message: 'start must be a date YYYY-MM-DD' })
  start!: string;

  @ApiProperty({ example: '2025-12-31', description: 'last day the data covers (YYYY-MM-DD)' })
  @Matches(DATE, { message: 'end must be a date YYYY-MM-DD' })
  end!: string;
}

export class ClassificationDto {
  @ApiProperty({ enum: AFFECTED_OBJECTS, description: 'the most affected object (DS 21 表1)' })
  @IsIn(AFFECTED_OBJECTS)
  affectedObject!: AffectedObject;

  @ApiProperty({ enum: HARMS, description: 'the degree of harm (DS 21 表1)' })
  @IsIn(HARMS)
  harm!: Harm;
}

export class RightDto {
  @ApiProperty({
    enum: DATA_RIGHTS,
    description: '持有权 holding, 加工使用权 processing, 经营权 operation (DE 35)',
  })
  @IsIn(DATA_RIGHTS)
  right!: DataRight;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ example: 10000, description: 'integer basis points; per right they sum to 10000 (DE 35)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  shareBasisPoints!: number;
}

export class CreateAssetDto {
  @ApiProperty({ example: '海东市路口车流量（5 分钟粒度）' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  description!: string;

  @ApiProperty({ example: 'transport', description: 'industry code, lower-case kebab-case' })
  @Matches(KEBAB, { message: 'industry must be a lower-case kebab-case code, e.g. transport' })
  @Length(1, 64)
  industry!: string;

  @ApiProperty({ enum: DATA_KINDS })
  @IsIn(DATA_KINDS)
  dataKind!: DataKind;

  @ApiProperty({ type: SourceDto })
  @IsObject({ message: 'source must be an object with method and description' })
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @ApiProperty({ type: [ColumnDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ColumnDto)
  columns!: ColumnDto[];

  @ApiProperty({ example: 1200000 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  rowCount!: number;

  @ApiProperty({ enum: UPDATE_FREQUENCIES })
  @IsIn(UPDATE_FREQUENCIES)
  updateFrequency!: UpdateFrequency;

  @ApiProperty({ type: TimeRangeDto })
  @IsObject({ message: 'timeRange must be an object with start and end' })
  @ValidateNested()
  @Type(() => TimeRangeDto)
  timeRange!: TimeRangeDto;

  @ApiProperty({ type: ClassificationDto })
  @IsObject({ message: 'classification must be an object with affectedObject and harm' })
  @ValidateNested()
  @Type(() => ClassificationDto)
  classification!: ClassificationDto;

  @ApiProperty({
    required: false,
    enum: DATA_LEVELS,
    nullable: true,
    description: 'a stricter level than 表1 gives may be declared, never a looser one (DS 21)',
  })
  @IsOptional()
  @IsIn(DATA_LEVELS)
  declaredLevel?: DataLevel | null;

  @ApiProperty({ enum: OPEN_ATTRIBUTES, description: 'never looser than DE 31 allows' })
  @IsIn(OPEN_ATTRIBUTES)
  openAttribute!: OpenAttribute;

  @ApiProperty({
    required: false,
    enum: SHARE_ATTRIBUTES,
    nullable: true,
    description: 'public data only (DE 27)',
  })
  @IsOptional()
  @IsIn(SHARE_ATTRIBUTES)
  shareAttribute?: ShareAttribute | null;

  @ApiProperty({ type: [RightDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => RightDto)
  rights!: RightDto[];
}

export class UpdateAssetDto extends PartialType(CreateAssetDto) {}

export class AssetQueryDto {
  @ApiProperty({ required: false, enum: ASSET_STATUSES })
  @IsOptional()
  @IsIn(ASSET_STATUSES)
  status?: AssetStatus;
}

export class ReviewDto {
  @ApiProperty({ enum: ['approve', 'reject', 'request-changes'] })
  @IsIn(['approve', 'reject', 'request-changes'])
  decision!: 'approve' | 'reject' | 'request-changes';

  @ApiProperty({ required: false, maxLength: 1000, description: 'required to reject or request changes' })
  @ValidateIf((o: ReviewDto) => o.decision !== 'approve' || o.reason !== undefined)
  @IsString({ message: 'reason is required to reject or request changes' })
  @Length(1, 1000)
  reason?: string;

  @ApiProperty({
    required: false,
    format: 'uuid',
    description:
      'the request (change, transfer, cancellation, objection) under review; absent: the registration',
  })
  @IsOptional()
  @IsUUID()
  requestId?: string;
}

export class SecurityReviewDto {
  @ApiProperty({ description: 'whether the facts passed the security review (DS 26)' })
  @IsBoolean()
  passed!: boolean;

  @ApiProperty({ maxLength: 1000, example: '字段脱敏完整，访问控制与加密措施符合要求' })
  @IsString()
  @Length(1, 1000)
  findings!: string;

  @ApiProperty({
    required: false,
    format: 'uuid',
    description: 'a pending change request whose new facts were reviewed',
  })
  @IsOptional()
  @IsUUID()
  requestId?: string;
}
