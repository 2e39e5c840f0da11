import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { COMPUTATION_STATES, type ComputationFilter, type ComputationState } from '@app/compute/core';
import { PageQueryDto } from '../http/page-query.dto.js';

export const FILTER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] as const;

export class ComputationFilterDto {
  @ApiProperty({ description: 'a public column of the dataset', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  column!: string;

  @ApiProperty({ enum: FILTER_OPS })
  @IsIn(FILTER_OPS)
  op!: ComputationFilter['op'];

  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }],
    description: 'a number; for `in` a list of numbers',
  })
  @Allow()
  value!: number | number[];
}

export class CreateComputationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  contractId!: string;

  @ApiProperty({ example: 'mean', maxLength: 64 })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'recipe is a recipe name of the catalogue' })
  recipe!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    example: { x: 'vehicle_count' },
    description: "the recipe's input roles → a column (or columns for a role that takes several)",
  })
  @IsObject()
  bindings!: Record<string, string | string[]>;

  @ApiProperty({
    required: false,
    type: Object,
    description: "the recipe's parameters, e.g. { weights: number[] } for dot-product",
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiProperty({ required: false, type: [ComputationFilterDto], maxItems: 16 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => ComputationFilterDto)
  filters?: ComputationFilterDto[];

  @ApiProperty({ required: false, format: 'uuid', description: 'default: the newest ready version' })
  @IsOptional()
  @IsUUID()
  datasetId?: string;
}

export class ComputationListQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @ApiProperty({ required: false, enum: COMPUTATION_STATES })
  @IsOptional()
  @IsIn(COMPUTATION_STATES)
  state?: ComputationState;

  @ApiProperty({ required: false, description: 'the `next` of the previous page (same as `after`)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'cursor is a cursor this API returned' })
  cursor?: string;
}

export class ReleaseComputationDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the ResultEnvelope JSON (HPKE seal to the buyer's result key)",
  })
  @IsObject()
  envelope!: Record<string, unknown>;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    description: 'ε this release spent, thousandths',
  })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  epsilonSpentMilli!: number;
}

export class RefuseComputationDto {
  @ApiProperty({ example: 'agent_refused' })
  @IsString()
  @Length(1, 48)
  code!: string;

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
