import { ApiProperty } from '@nestjs/swagger';
import { BILLING_UNITS, DELIVERY_MODES, PRICING_MODES } from '@app/compliance';
import { LISTED_LEVELS } from '@app/catalog';

export class CatalogPricingResponse {
  @ApiProperty({ enum: PRICING_MODES })
  mode!: string;

  @ApiProperty({
    description: 'price in fen, a whole number as a decimal string (exact beyond 2^53)',
    example: '150000',
  })
  priceFen!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the guided-price category; null for the other modes',
  })
  category!: string | null;
}

export class CatalogMerchantResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class CatalogHighlightsResponse {
  @ApiProperty({
    description:
      'the title as an HTML fragment: every character escaped (& < > " \'), the matched words inside <mark>…</mark>, ' +
      'the only markup',
  })
  title!: string;

  @ApiProperty({
    description:
      'up to 160 characters of the description around its first match, escaped and marked the same way, with … ' +
      'where text was left out',
  })
  description!: string;
}

export class CatalogItemResponse {
  @ApiProperty({ format: 'uuid', description: 'the listing id' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  industry!: string;

  @ApiProperty({ enum: LISTED_LEVELS })
  level!: string;

  @ApiProperty({ type: CatalogPricingResponse })
  pricing!: CatalogPricingResponse;

  @ApiProperty({ enum: BILLING_UNITS, isArray: true })
  billingUnits!: string[];

  @ApiProperty({ enum: DELIVERY_MODES })
  delivery!: string;

  @ApiProperty({ type: [String], description: 'recipes a compute listing allows; empty for file delivery' })
  recipes!: string[];

  @ApiProperty({ type: Number, nullable: true, description: 'row minimum k of a compute listing' })
  minRows!: number | null;

  @ApiProperty({ type: CatalogMerchantResponse })
  merchant!: CatalogMerchantResponse;

  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({ type: CatalogHighlightsResponse })
  highlights!: CatalogHighlightsResponse;
}

export class FacetCountResponse {
  @ApiProperty()
  value!: string;

  @ApiProperty()
  count!: number;
}

export class PriceFacetResponse {
  @ApiProperty({ example: 'under-1000-yuan' })
  range!: string;

  @ApiProperty({ description: 'inclusive lower bound in fen (decimal string)' })
  minFen!: string;

  @ApiProperty({ type: String, nullable: true, description: 'inclusive upper bound in fen; null: none' })
  maxFen!: string | null;

  @ApiProperty()
  count!: number;
}

export class CatalogFacetsResponse {
  @ApiProperty({ type: [FacetCountResponse], description: 'industries with at least one result, most first' })
  industry!: FacetCountResponse[];

  @ApiProperty({ type: [FacetCountResponse] })
  level!: FacetCountResponse[];

  @ApiProperty({ type: [FacetCountResponse] })
  pricingMode!: FacetCountResponse[];

  @ApiProperty({
    type: [FacetCountResponse],
    description: 'a listing offering several units counts under each',
  })
  billingUnit!: FacetCountResponse[];

  @ApiProperty({ type: [FacetCountResponse] })
  delivery!: FacetCountResponse[];

  @ApiProperty({ type: [PriceFacetResponse] })
  price!: PriceFacetResponse[];
}

export class CatalogSearchResponse {
  @ApiProperty({ type: [CatalogItemResponse] })
  items!: CatalogItemResponse[];

  @ApiProperty({ description: 'how many listings match the query and every filter' })
  total!: number;

  @ApiProperty({
    type: CatalogFacetsResponse,
    description:
      "counts over the query's matches with every other filter applied (a facet's own filter is left out, so each " +
      'count is what choosing that value would give)',
  })
  facets!: CatalogFacetsResponse;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'opaque cursor for the next page (`after`); null at the end',
  })
  next!: string | null;
}
