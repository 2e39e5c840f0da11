import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_ROWS } from '@app/datasets';
import { PARAM_SETS } from '@app/he/evaluation';
import { PageQueryDto } from '../http/page-query.dto.js';

const PARAM_SET_IDS = Object.keys(PARAM_SETS);
const COLUMN_KINDS = ['real', 'integer', 'decimal'];

export class EncryptedColumnSpecDto {
  @ApiProperty({ enum: COLUMN_KINDS, description: 'real → CKKS; integer and decimal (fixed point) → BFV' })
  @IsIn(COLUMN_KINDS)
  kind!: 'real' | 'integer' | 'decimal';

  @ApiProperty({ description: 'declared inclusive range: every value was checked against it when encrypted' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min!: number;

  @ApiProperty()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max!: number;

  @ApiProperty({
    required: false,
    minimum: 0,
    maximum: 9,
    description: 'decimal columns: digits after the point',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9)
  decimals?: number;

  @ApiProperty({
    required: false,
    type: [Number],
    description:
      'histogram bucket edges (ascending, first = min, last = max); adds indicator columns `name#i`',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(65)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  buckets?: number[];

  @ApiProperty({ required: false, enum: PARAM_SET_IDS, description: "overrides the manifest's paramSet" })
  @IsOptional()
  @IsIn(PARAM_SET_IDS)
  paramSet?: 'ckks-8192-d1' | 'ckks-8192-d2' | 'bfv-8192-t50';
}

export class ManifestColumnDto {
  @ApiProperty({ description: "one of the asset's registered columns", example: 'vehicle_count' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({
    description: 'true: uploaded as ciphertexts; false: a column registered public, in plaintext',
  })
  @IsBoolean()
  encrypted!: boolean;

  @ApiProperty({ required: false, type: EncryptedColumnSpecDto, description: 'encrypted columns only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EncryptedColumnSpecDto)
  spec?: EncryptedColumnSpecDto;
}

export class ManifestChunkDto {
  @ApiProperty({
    description:
      'ciphertext | publicColumn | publicKey | relinKeys | galoisKeys (a secret key is refused, 422)',
    example: 'ciphertext',
  })
  @IsString()
  @Length(1, 32)
  kind!: 'ciphertext' | 'publicColumn' | 'publicKey' | 'relinKeys' | 'galoisKeys';

  @ApiProperty({
    required: false,
    description: 'ciphertext: encrypted column (or `name#i`); publicColumn: its name',
  })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  column?: string;

  @ApiProperty({ required: false, minimum: 0, description: 'ciphertext: which one of the column, from 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROWS)
  index?: number;

  @ApiProperty({
    required: false,
    enum: PARAM_SET_IDS,
    description: 'keys: the parameter set they belong to',
  })
  @IsOptional()
  @IsIn(PARAM_SET_IDS)
  paramSet?: 'ckks-8192-d1' | 'ckks-8192-d2' | 'bfv-8192-t50';

  @ApiProperty({
    description: 'SHA-256 of the chunk, 64 lowercase hex',
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' })
  sha256!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_CHUNK_BYTES })
  @IsInt()
  @Min(1)
  @Max(MAX_CHUNK_BYTES)
  sizeBytes!: number;
}

/** `POST /v1/datasets`: the manifest of one upload; chunk n of the upload is `chunks[n]`. */
export class CreateDatasetDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  assetId!: string;

  @ApiProperty({
    enum: PARAM_SET_IDS,
    description: 'the HE parameter set of the encrypted columns (its scheme follows)',
  })
  @IsIn(PARAM_SET_IDS)
  paramSet!: 'ckks-8192-d1' | 'ckks-8192-d2' | 'bfv-8192-t50';

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ROWS })
  @IsInt()
  @Min(1)
  @Max(MAX_ROWS)
  rowCount!: number;

  @ApiProperty({ type: [ManifestColumnDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ManifestColumnDto)
  columns!: ManifestColumnDto[];

  @ApiProperty({ type: [ManifestChunkDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CHUNKS)
  @ValidateNested({ each: true })
  @Type(() => ManifestChunkDto)
  chunks!: ManifestChunkDto[];
}

export class DatasetListQueryDto extends PageQueryDto {
  @ApiProperty({
    required: false,
    format: 'uuid',
    description: "an asset's versions; without it, your organisation's uploads",
  })
  @IsOptional()
  @IsUUID()
  assetId?: string;
}
