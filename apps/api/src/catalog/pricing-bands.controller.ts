import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PricingBandService, type PricingBand } from '@app/catalog';
import type { Principal } from '@app/identity';
import { Public, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { fenOf } from '../http/fen.validator.js';
import { NewPricingBandDto, PricingBandQueryDto } from './pricing-bands.dto.js';
import { PricingBandListResponse, PricingBandResponse } from './pricing-bands.response.js';

export const pricingBandView = (b: PricingBand): PricingBandResponse => ({
  id: b.id,
  category: b.category,
  version: b.version,
  minFen: b.minFen.toString(),
  maxFen: b.maxFen.toString(),
  publicResourceFeeBasisPoints: b.publicResourceFeeBasisPoints,
  publishedByOrganisationId: b.publishedByOrganisationId,
  publishedAt: b.publishedAt.toISOString(),
  supersededAt: b.supersededAt?.toISOString() ?? null,
});

@ApiTags('pricing')
@Controller('v1/pricing-bands')
export class PricingBandsController {
  constructor(private readonly bands: PricingBandService) {}

  @Post()
  @Roles('regulator')
  @ApiOperation({
    summary:
      'Regulator: publish the government-guided price band of a data category (DE 41) with its public-resource ' +
      'fee rate (DE 36); it supersedes the category’s current band, which is kept',
  })
  @ApiCreatedResponse({ type: PricingBandResponse })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NewPricingBandDto,
  ): Promise<PricingBandResponse> {
    return pricingBandView(
      await this.bands.publish(principal, {
        category: body.category,
        minFen: fenOf(body.minFen),
        maxFen: fenOf(body.maxFen),
        publicResourceFeeBasisPoints: body.publicResourceFeeBasisPoints,
      }),
    );
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'The bands in force, one per category (history=true: every band published)' })
  @ApiOkResponse({ type: PricingBandListResponse })
  async list(@Query() query: PricingBandQueryDto): Promise<PricingBandListResponse> {
    return { bands: (await this.bands.list(query)).map(pricingBandView) };
  }
}
