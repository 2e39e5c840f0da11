import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
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
import {
  BILLING_UNITS,
  DELIVERY_MODES,
  PRICING_MODES,
  type BillingUnit,
  type DeliveryMode,
  type PricingMode,
} from '@app/compliance';
import { LISTING_STATUSES, type ListingStatus } from '@app/catalog';
import { FEN_SCHEMA, IsFen } from '../http/fen.validator.js';
import { PageQueryDto } from '../http/page-query.dto.js';

/** ε as a decimal string with up to 3 places (thousandths are what is stored). */
const EPSILON = /^(0|[1-9]\d{0,3})(\.\d{1,3})?$/;

/** Thousandths of a decimal ε string the DTO accepted ("0.5" → 500). */
export const epsilonMilliOf = (text: string): number => {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
};

export class ListingPricingDto {
  @ApiProperty({ enum: PRICING_MODES })
  @IsIn(PRICING_MODES)
  mode!: PricingMode;

  @ApiProperty(FEN_SCHEMA)
  @IsFen()
  priceFen!: string | number;

  @ApiProperty({
    required: false,
    description:
      'guided pricing only: the data category whose band (GET /v1/pricing-bands) the price lies in',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;
}

export class ListingRecipeDto {
  @ApiProperty({ example: 'mean', description: 'a recipe of the sandbox catalogue' })
  @IsString()
  @Length(1, 64)
  recipe!: string;

  @ApiProperty({ type: [String], description: 'the asset columns the recipe may touch', example: ['amount'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  columns!: string[];
}

export class NewListingDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'registered assets the listing is built from' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  assetIds!: string[];

  @ApiProperty({ example: '海东市公交刷卡客流（按站点、小时）' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  description!: string;

  @ApiProperty({ type: ListingPricingDto })
  @IsObject({ message: 'pricing must be an object with mode, priceFen and (for guided) category' })
  @ValidateNested()
  @Type(() => ListingPricingDto)
  pricing!: ListingPricingDto;

  @ApiProperty({ enum: BILLING_UNITS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(3)
  @IsIn(BILLING_UNITS, { each: true, message: `billingUnits may contain ${BILLING_UNITS.join(', ')}` })
  billingUnits!: BillingUnit[];

  @ApiProperty({
    required: false,
    minimum: 1,
    maximum: 3660,
    description: 'the subscription period in days; given exactly when billingUnits offers a subscription',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3660)
  subscriptionDays?: number;

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES)
  delivery!: DeliveryMode;

  @ApiProperty({
    type: [ListingRecipeDto],
    required: false,
    description: 'compute delivery: the recipes allowed',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => ListingRecipeDto)
  recipes?: ListingRecipeDto[];

  @ApiProperty({
    required: false,
    description: 'compute delivery: the row minimum k a computation must cover (at least 10, DS 58)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  minRows?: number;

  @ApiProperty({
    required: false,
    example: '10',
    description:
      "compute delivery: each contract's differential-privacy budget ε, a decimal with up to 3 places (0.001 to " +
      '1000); default COMPUTE_EPSILON_BUDGET_MILLI. Fixed in each contract when it forms',
  })
  @IsOptional()
  @IsString()
  @Matches(EPSILON, { message: 'epsilonBudget is a decimal with up to 3 places, e.g. "10" or "0.5"' })
  epsilonBudget?: string;

  @ApiProperty({
    required: false,
    example: '1',
    description:
      'compute delivery: the ε one release spends (noise scale), a decimal with up to 3 places; at most ' +
      'epsilonBudget; default COMPUTE_EPSILON_PER_RELEASE_MILLI',
  })
  @IsOptional()
  @IsString()
  @Matches(EPSILON, { message: 'epsilonPerRelease is a decimal with up to 3 places, e.g. "1" or "0.25"' })
  epsilonPerRelease?: string;
}

export class ListingReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';

  @ApiProperty({ required: false, maxLength: 500, description: 'required to reject' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ListingReasonDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class OptionalReasonDto {
  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ListingQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: LISTING_STATUSES })
  @IsOptional()
  @IsIn(LISTING_STATUSES)
  status?: ListingStatus;
}
