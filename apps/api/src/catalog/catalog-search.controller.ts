import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
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
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const answer = await this.catalog.answer({
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
    void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    if (answer.json.length >= GZIP_FROM_BYTES && acceptsGzip(acceptEncoding)) {
      void reply.header('content-encoding', 'gzip');
      return answer.gzip();
    }
    return answer.json;
  }
}

/** Smaller answers go as they are: gzip would save less than its own overhead. */
const GZIP_FROM_BYTES = 1024;

/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: named with a q-value above 0, or not named and
 * `*` accepted.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const codings = new Map<string, number>();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    codings.set(coding, q === undefined ? 1 : Number(q.slice(2)));
  }
  const q = codings.get('gzip') ?? codings.get('x-gzip') ?? codings.get('*');
  return q !== undefined && q > 0;
}
