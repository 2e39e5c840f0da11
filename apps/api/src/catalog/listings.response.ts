import { ApiProperty } from '@nestjs/swagger';
import { BILLING_UNITS, DELIVERY_MODES, OPEN_ATTRIBUTES, PRICING_MODES } from '@app/compliance';
import { LISTING_STATUSES } from '@app/catalog';
import { PricingBandResponse } from './pricing-bands.response.js';

const FEN = { type: String, pattern: '^(0|[1-9][0-9]*)$', example: '150000', description: 'whole fen' };

export class ListingPricingResponse {
  @ApiProperty({ enum: PRICING_MODES })
  mode!: string;

  @ApiProperty(FEN)
  priceFen!: string;

  @ApiProperty({ type: String, nullable: true, description: 'guided pricing: the data category' })
  category!: string | null;

  @ApiProperty({
    type: PricingBandResponse,
    nullable: true,
    description: 'guided pricing: the band the price was checked against (kept once approved)',
  })
  band!: PricingBandResponse | null;
}

export class ListingRecipeResponse {
  @ApiProperty()
  recipe!: string;

  @ApiProperty({ type: [String] })
  columns!: string[];
}

export class ListingObligationsResponse {
  @ApiProperty({ description: 'contracts carry a data-security agreement (DS 35: important data)' })
  securityAgreement!: boolean;

  @ApiProperty({
    description: 'buyers declare a purpose the operator approves (DE 31: not unconditionally open)',
  })
  purposeRequired!: boolean;

  @ApiProperty({ description: 'may cross the border (DS 38: general data only)' })
  crossBorder!: boolean;
}

export class ListingResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'the merchant' })
  organisationId!: string;

  @ApiProperty({ enum: LISTING_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the reason given with the last step' })
  statusReason!: string | null;

  @ApiProperty({ enum: ['general', 'important'], description: 'the highest level of its assets (DS 29)' })
  level!: string;

  @ApiProperty({ enum: OPEN_ATTRIBUTES, description: 'the strictest open attribute of its assets (DE 31)' })
  openAttribute!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  assetIds!: string[];

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'the industry of its first asset' })
  industry!: string;

  @ApiProperty({ type: ListingPricingResponse })
  pricing!: ListingPricingResponse;

  @ApiProperty({ enum: BILLING_UNITS, isArray: true })
  billingUnits!: string[];

  @ApiProperty({ type: Number, nullable: true })
  subscriptionDays!: number | null;

  @ApiProperty({ enum: DELIVERY_MODES })
  delivery!: string;

  @ApiProperty({ type: [ListingRecipeResponse] })
  recipes!: ListingRecipeResponse[];

  @ApiProperty({ type: Number, nullable: true, description: 'compute delivery: the row minimum k' })
  minRows!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '10.000',
    description:
      "compute delivery: each contract's ε budget in effect (the listing's, else the platform default); null for files",
  })
  epsilonBudget!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1.000',
    description: 'compute delivery: the ε one release spends, in effect; null for files',
  })
  epsilonPerRelease!: string | null;

  @ApiProperty({ description: 'whether the ε figures are the listing’s own (false: the platform defaults)' })
  epsilonSetByListing!: boolean;

  @ApiProperty({ type: ListingObligationsResponse })
  obligations!: ListingObligationsResponse;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;
}

export class ListingPageResponse {
  @ApiProperty({ type: [ListingResponse] })
  items!: ListingResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}
