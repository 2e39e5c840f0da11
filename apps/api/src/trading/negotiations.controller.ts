import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { NegotiationService } from '@app/trading';
import { Authenticated, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import {
  AcceptDto,
  CounterOfferDto,
  NegotiationQueryDto,
  NewNegotiationDto,
  PurposeReviewDto,
  TerminateDto,
} from './negotiations.dto.js';
import { NegotiationPageResponse, NegotiationResponse } from './negotiations.response.js';
import { TradeViews } from './trade-views.js';
import { termsOf } from './terms.dto.js';

/** Negotiation (磋商) on a published listing: versioned offers, acceptance, the contract it forms. */
@ApiTags('negotiations')
@Controller('v1/negotiations')
export class NegotiationsController {
  constructor(
    private readonly negotiations: NegotiationService,
    private readonly views: TradeViews,
  ) {}

  @Post()
  @Roles('buyer')
  @ApiOperation({
    summary:
      'Buyer: apply for a published listing with terms (version 1, state requested). Terms beyond the listing ' +
      '(DS 35), a delivery it does not allow (DS 58, DE 31), a price outside the guided band (DE 41) or a buyer ' +
      'abroad for important or personal data (DS 38, DS 72) are 422 with the article',
  })
  @ApiCreatedResponse({ type: NegotiationResponse })
  async apply(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NewNegotiationDto,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(
      await this.negotiations.apply(principal, {
        listingId: body.listingId,
        terms: termsOf(body.terms),
        expiresInDays: body.expiresInDays,
      }),
    );
  }

  @Get()
  @Roles('buyer', 'merchant', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'The caller’s negotiations as buyer or merchant; operators and regulators see all. Newest first, paged',
  })
  @ApiOkResponse({ type: NegotiationPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: NegotiationQueryDto,
  ): Promise<NegotiationPageResponse> {
    const page = await this.negotiations.list(principal, {
      state: query.state,
      listingId: query.listingId,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: await this.views.negotiations(page.records), next: page.next };
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'A negotiation with every version and its diff; its parties and the overseers' })
  @ApiOkResponse({ type: NegotiationResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(await this.negotiations.get(principal, id));
  }

  @Post(':id/offers')
  @HttpCode(201)
  @Roles('buyer', 'merchant')
  @ApiOperation({
    summary:
      'Buyer or merchant: a counter-offer on the latest version (basedOnVersion); a stale version is 409 naming ' +
      'the current one',
  })
  @ApiCreatedResponse({ type: NegotiationResponse })
  async counter(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CounterOfferDto,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(
      await this.negotiations.counter(principal, id, {
        basedOnVersion: body.basedOnVersion,
        terms: termsOf(body.terms),
        expiresInDays: body.expiresInDays,
      }),
    );
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('buyer', 'merchant')
  @ApiOperation({
    summary:
      'The side that did not make the latest version accepts it: the contract forms (contractId), or, for ' +
      'conditional free use, the operator reviews the purpose first. Stale or expired versions are 409',
  })
  @ApiOkResponse({ type: NegotiationResponse })
  async accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcceptDto,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(await this.negotiations.accept(principal, id, body.version));
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @Roles('buyer', 'merchant', 'operator')
  @ApiOperation({
    summary:
      'A party or the operator ends the negotiation with a typed reason code (and a detail); a formed contract ' +
      'not yet funded ends with it',
  })
  @ApiOkResponse({ type: NegotiationResponse })
  async terminate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: TerminateDto,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(
      await this.negotiations.terminate(principal, id, body.reason, body.detail ?? null),
    );
  }

  @Post(':id/purpose-review')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: approve (the contract forms) or refuse (terminated, purpose_refused) the purpose of an accepted ' +
      'conditional-free negotiation (DE 41)',
  })
  @ApiOkResponse({ type: NegotiationResponse })
  async reviewPurpose(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PurposeReviewDto,
  ): Promise<NegotiationResponse> {
    return this.views.negotiation(
      await this.negotiations.reviewPurpose(principal, id, body.decision, body.reason),
    );
  }
}
