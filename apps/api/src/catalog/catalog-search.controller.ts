import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CatalogSearch } from '@app/catalog';
import { Public } from '../http/access.decorators.js';
import { CatalogSearchQueryDto } from './catalog-search.dto.js';
import { CatalogSearchResponse } from './catalog-search.response.js';

@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogSearchController {
  constructor(private readonly catalog: CatalogSearch) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Search the published listings (Chinese and English), ranked by relevance (title over description over ' +
      'merchant and industry), filtered, with facet counts, cursor pages and highlights; anyone, signed in or not',
  })
  @ApiOkResponse({ type: CatalogSearchResponse })
  async search(
    @Query() query: CatalogSearchQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const body = await this.catalog.searchJson({
      q: query.q,
      industry: query.industry,
      level: query.level,
      pricingMode: query.pricingMode,
      billingUnit: query.billingUnit,
      delivery: query.delivery,
      minPriceFen: query.minPriceFen === undefined ? undefined : BigInt(query.minPriceFen),
      maxPriceFen: query.maxPriceFen === undefined ? undefined : BigInt(query.maxPriceFen),
      after: query.after,
      limit: query.limit ?? 20,
    });
    void reply.type('application/json; charset=utf-8');
    return body;
  }
}
