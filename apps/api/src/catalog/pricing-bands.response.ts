import { ApiProperty } from '@nestjs/swagger';

export class PricingBandResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'transport' })
  category!: string;

  @ApiProperty({ description: '1 for the category’s first band, one more for each that superseded it' })
  version!: number;

  @ApiProperty({ type: String, pattern: '^(0|[1-9][0-9]*)$', example: '1000', description: 'fen' })
  minFen!: string;

  @ApiProperty({ type: String, pattern: '^(0|[1-9][0-9]*)$', example: '500000', description: 'fen' })
  maxFen!: string;

  @ApiProperty({ description: 'public-resource fee rate (DE 36), basis points' })
  publicResourceFeeBasisPoints!: number;

  @ApiProperty({ format: 'uuid', description: 'the regulator body that published it' })
  publishedByOrganisationId!: string;

  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a newer band replaced it',
  })
  supersededAt!: string | null;
}

export class PricingBandListResponse {
  @ApiProperty({ type: [PricingBandResponse] })
  bands!: PricingBandResponse[];
}
