import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  BILLING_UNITS,
  DELIVERY_MODES,
  PRICING_MODES,
  type BillingUnit,
  type DeliveryMode,
  type PricingMode,
} from '@app/compliance';
import { LISTED_LEVELS, MAX_QUERY_LENGTH, type ListedLevel } from '@app/catalog';

export const MAX_CATALOG_PAGE = 100;
const FEN = /^(0|[1-9][0-9]{0,17})$/;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

export class CatalogSearchQueryDto {
  @ApiProperty({
    required: false,
    maxLength: MAX_QUERY_LENGTH,
    description:
      'Words in Chinese and/or English; every word must match (Chinese by its characters, so 处理 finds 待处理). ' +
      'The last word, when at least 3 letters and not followed by a space, also matches words it begins. Empty: ' +
      'every listing, newest first.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_LENGTH)
  @Matches(NO_CONTROL, { message: 'q must not contain control characters' })
  q?: string;

  @ApiProperty({ required: false, description: 'exactly this industry (as the facet lists it)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'industry must not contain control characters' })
  industry?: string;

  @ApiProperty({ required: false, enum: LISTED_LEVELS })
  @IsOptional()
  @IsIn(LISTED_LEVELS)
  level?: ListedLevel;

  @ApiProperty({ required: false, enum: PRICING_MODES })
  @IsOptional()
  @IsIn(PRICING_MODES)
  pricingMode?: PricingMode;

  @ApiProperty({ required: false, enum: BILLING_UNITS, description: 'listings that offer this billing unit' })
  @IsOptional()
  @IsIn(BILLING_UNITS)
  billingUnit?: BillingUnit;

  @ApiProperty({ required: false, enum: DELIVERY_MODES })
  @IsOptional()
  @IsIn(DELIVERY_MODES)
  delivery?: DeliveryMode;

  @ApiProperty({
    required: false,
    description: 'lowest price in fen (inclusive), a whole number as text',
    example: '0',
  })
  @IsOptional()
  @IsString()
  @Matches(FEN, { message: 'minPriceFen must be a whole number of fen (digits only)' })
  minPriceFen?: string;

  @ApiProperty({
    required: false,
    description: 'highest price in fen (inclusive), a whole number as text',
    example: '100000',
  })
  @IsOptional()
  @IsString()
  @Matches(FEN, { message: 'maxPriceFen must be a whole number of fen (digits only)' })
  maxPriceFen?: string;

  @ApiProperty({ required: false, description: 'the `next` of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  after?: string;

  @ApiProperty({ required: false, default: 20, minimum: 1, maximum: MAX_CATALOG_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CATALOG_PAGE)
  limit?: number;
}
