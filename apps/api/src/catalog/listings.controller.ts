import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { allowance } from '@app/compliance';
import { milliToDecimal } from '@app/compute';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { ListingService, type ListingAction, type ListingRecord } from '@app/catalog';
import type { Principal } from '@app/identity';
import { Authenticated, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import {
  ListingQueryDto,
  ListingReasonDto,
  ListingReviewDto,
  NewListingDto,
  OptionalReasonDto,
  epsilonMilliOf,
} from './listings.dto.js';
import { ListingPageResponse, ListingResponse } from './listings.response.js';
import { fenOf } from '../http/fen.validator.js';
import { pricingBandView } from './pricing-bands.controller.js';

/** The platform's ε defaults, for listings that set none. */
type EpsilonDefaults = AppConfig['compute'];

export const listingView = (
  { listing: l, assetIds, band }: ListingRecord,
  defaults: EpsilonDefaults,
): ListingResponse => {
  const rules = allowance(l.level, l.openAttribute);
  const compute = l.delivery === 'compute';
  return {
    id: l.id,
    organisationId: l.organisationId,
    status: l.status,
    statusReason: l.statusReason ?? null,
    level: l.level,
    openAttribute: l.openAttribute,
    assetIds,
    title: l.title,
    description: l.description,
    industry: l.industry,
    pricing: {
      mode: l.pricingMode,
      priceFen: l.priceFen.toString(),
      category: l.pricingCategory ?? null,
      band: band ? pricingBandView(band) : null,
    },
    billingUnits: l.billingUnits,
    subscriptionDays: l.subscriptionDays ?? null,
    delivery: l.delivery,
    recipes: l.recipes.map((r) => ({ recipe: r.recipe, columns: r.columns })),
    minRows: l.minRows ?? null,
    epsilonBudget: compute ? milliToDecimal(l.epsilonBudgetMilli ?? defaults.epsilonBudgetMilli) : null,
    epsilonPerRelease: compute
      ? milliToDecimal(l.epsilonPerReleaseMilli ?? defaults.epsilonPerReleaseMilli)
      : null,
    epsilonSetByListing: l.epsilonBudgetMilli != null || l.epsilonPerReleaseMilli != null,
    obligations: {
      securityAgreement: rules.securityAgreementInContract.required,
      purposeRequired: rules.purposeInContract.required,
      crossBorder: rules.crossBorder.allowed,
    },
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
    publishedAt: l.publishedAt?.toISOString() ?? null,
  };
};

@ApiTags('listings')
@Controller('v1/listings')
export class ListingsController {
  constructor(
    private readonly listings: ListingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('merchant')
  @ApiOperation({
    summary:
      'Merchant: make a draft listing from registered assets it holds the operation right of (DE 35); refusals ' +
      'by rule (DS 29, DS 58, DS 59, DE 31, DE 41) are 422 with the article',
  })
  @ApiCreatedResponse({ type: ListingResponse })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NewListingDto,
  ): Promise<ListingResponse> {
    return listingView(
      await this.listings.create(principal, {
        assetIds: body.assetIds,
        title: body.title,
        description: body.description,
        pricing: {
          mode: body.pricing.mode,
          priceFen: fenOf(body.pricing.priceFen),
          category: body.pricing.category ?? null,
        },
        billingUnits: body.billingUnits,
        subscriptionDays: body.subscriptionDays ?? null,
        delivery: body.delivery,
        recipes: (body.recipes ?? []).map((r) => ({ recipe: r.recipe, columns: r.columns })),
        minRows: body.minRows ?? null,
        epsilonBudgetMilli: body.epsilonBudget === undefined ? null : epsilonMilliOf(body.epsilonBudget),
        epsilonPerReleaseMilli:
          body.epsilonPerRelease === undefined ? null : epsilonMilliOf(body.epsilonPerRelease),
      }),
      this.config.compute,
    );
  }

  @Get()
  @Roles('merchant', 'operator', 'regulator')
  @ApiOperation({
    summary: 'A merchant’s own listings; operators and regulators see all. Newest first, paged',
  })
  @ApiOkResponse({ type: ListingPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListingQueryDto,
  ): Promise<ListingPageResponse> {
    const page = await this.listings.list(principal, {
      status: query.status,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.records.map((r) => listingView(r, this.config.compute)), next: page.next };
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({
    summary:
      'A listing: published ones to anyone signed in; the merchant sees its own and overseers all in any status',
  })
  @ApiOkResponse({ type: ListingResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ListingResponse> {
    return listingView(await this.listings.get(principal, id), this.config.compute);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('merchant')
  @ApiOperation({ summary: 'Merchant: submit a draft for the operator’s review' })
  @ApiOkResponse({ type: ListingResponse })
  submit(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.step(principal, id, 'submit', null);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: approve or reject (with a reason) a submitted listing; approval checks it again against its ' +
      'assets and the band in force',
  })
  @ApiOkResponse({ type: ListingResponse })
  review(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ListingReviewDto,
  ) {
    return this.step(principal, id, body.decision, body.reason ?? null);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('merchant')
  @ApiOperation({ summary: 'Merchant: publish an approved listing into the catalogue' })
  @ApiOkResponse({ type: ListingResponse })
  publish(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.step(principal, id, 'publish', null);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({ summary: 'Operator or regulator: suspend a published listing, with a reason (DS 58)' })
  @ApiOkResponse({ type: ListingResponse })
  suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ListingReasonDto,
  ) {
    return this.step(principal, id, 'suspend', body.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({ summary: 'Operator or regulator: put a suspended listing back into the catalogue' })
  @ApiOkResponse({ type: ListingResponse })
  reinstate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: OptionalReasonDto,
  ) {
    return this.step(principal, id, 'reinstate', body.reason ?? null);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('merchant')
  @ApiOperation({
    summary: 'Merchant: withdraw a listing (draft, submitted, approved, published or suspended)',
  })
  @ApiOkResponse({ type: ListingResponse })
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: OptionalReasonDto,
  ) {
    return this.step(principal, id, 'withdraw', body.reason ?? null);
  }

  private async step(
    principal: Principal,
    id: string,
    action: ListingAction,
    reason: string | null,
  ): Promise<ListingResponse> {
    return listingView(await this.listings.transition(principal, id, action, reason), this.config.compute);
  }
}
