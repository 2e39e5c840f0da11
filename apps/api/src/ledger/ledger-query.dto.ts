import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCalendarTimestamp } from '../http/timestamp.validator.js';

export const MAX_PAGE = 1000;

export class EntryRangeDto {
  @ApiProperty({ description: 'first leaf index (inclusive)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  start!: number;

  @ApiProperty({ description: `last leaf index (inclusive); at most ${MAX_PAGE} entries a page` })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  end!: number;
}

export class InclusionQueryDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  leafIndex!: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize!: number;
}

export class ConsistencyQueryDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  first!: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  second!: number;
}

export class TreeSizeParamDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  treeSize!: number;
}

/** Keyset paging: the entries after a leaf index, a bounded page at a time. */
export class LeafPageQueryDto {
  @ApiProperty({
    required: false,
    description: 'entries after this leaf index (the last one of the previous page)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-1)
  after?: number;

  @ApiProperty({ required: false, default: 100, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;
}

export class EntrySearchDto extends LeafPageQueryDto {
  @ApiProperty({ required: false, description: 'an id the entry concerns (organisation, account, token …)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  subject?: string;

  @ApiProperty({ required: false, description: 'acting account id' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  actor?: string;

  @ApiProperty({ required: false, description: 'acting organisation id' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  actorOrganisation?: string;

  @ApiProperty({ required: false, example: 'organisation.admitted' })
  @IsOptional()
  @IsString()
  @Length(3, 100)
  action?: string;

  @ApiProperty({
    required: false,
    description: 'recorded at or after (YYYY-MM-DD, UTC midnight, or YYYY-MM-DDThh:mm[:ss]Z / ±hh:mm)',
  })
  @IsOptional()
  @IsCalendarTimestamp()
  from?: string;

  @ApiProperty({ required: false, description: 'recorded before (same form as from)' })
  @IsOptional()
  @IsCalendarTimestamp()
  to?: string;
}

export class ExportQueryDto {
  @ApiProperty({ required: false, enum: ['ndjson'], default: 'ndjson' })
  @IsOptional()
  @IsIn(['ndjson'])
  format?: 'ndjson';
}
