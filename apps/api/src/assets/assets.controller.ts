import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssetReviewService,
  AssetService,
  CertificateService,
  type AssetInput,
  type AssetCertificate,
} from '@app/assets';
import { NotFound } from '@app/core';
import type { Principal } from '@app/identity';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import {
  AssetQueryDto,
  CreateAssetDto,
  ReviewDto,
  SecurityReviewDto,
  UpdateAssetDto,
} from './dto/asset.dto.js';
import {
  AssetListResponse,
  AssetResponse,
  ReviewListResponse,
  ReviewResponse,
} from './dto/asset.response.js';
import { CertificateDocument } from './dto/certificate.response.js';
import { assetView, reviewView } from './views.js';

const READERS = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'] as const;

/** The DTO as the lib's input: optional fields become explicit nulls. */
export function assetInput(body: CreateAssetDto): AssetInput {
  return {
    title: body.title,
    description: body.description,
    industry: body.industry,
    dataKind: body.dataKind,
    source: { method: body.source.method, description: body.source.description },
    columns: body.columns.map((c) => ({
      name: c.name,
      type: c.type,
      unit: c.unit ?? null,
      personalInformation: c.personalInformation,
      tradeSecret: c.tradeSecret,
      public: c.public,
    })),
    rowCount: body.rowCount,
    updateFrequency: body.updateFrequency,
    timeRange: { start: body.timeRange.start, end: body.timeRange.end },
    classification: {
      affectedObject: body.classification.affectedObject,
      harm: body.classification.harm,
    },
    declaredLevel: body.declaredLevel ?? null,
    openAttribute: body.openAttribute,
    shareAttribute: body.shareAttribute ?? null,
    rights: body.rights.map((r) => ({
      right: r.right,
      organisationId: r.organisationId,
      shareBasisPoints: r.shareBasisPoints,
    })),
  };
}

/** Only the fields the patch names, each converted like `assetInput`. */
export function assetPatch(body: UpdateAssetDto): Partial<AssetInput> {
  const full = assetInput({
    source: { method: '', description: '' },
    columns: [],
    timeRange: { start: '', end: '' },
    classification: { affectedObject: 'rights', harm: 'general' },
    rights: [],
    ...body,
  } as CreateAssetDto);
  const patch: Partial<AssetInput> = {};
  for (const key of Object.keys(body) as (keyof AssetInput)[]) {
    if (key in full) (patch as Record<string, unknown>)[key] = full[key];
  }
  return patch;
}

@ApiTags('assets')
@Controller('v1/assets')
export class AssetsController {
  constructor(
    private readonly assets: AssetService,
    private readonly reviews: AssetReviewService,
    private readonly certificates: CertificateService,
  ) {}

  @Post()
  @Roles('merchant')
  @ApiOperation({
    summary:
      'Merchant: register a data asset as a draft (数据资产登记); the level is computed by DS 21 表1 and shown ' +
      'with its justification; a refusal by rule is a 422 naming its article',
  })
  @ApiCreatedResponse({ type: AssetResponse })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAssetDto,
  ): Promise<AssetResponse> {
    return assetView(await this.assets.register(principal, assetInput(body)));
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The caller’s own assets; operators and regulators see all (newest first, 500)' })
  @ApiOkResponse({ type: AssetListResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AssetQueryDto,
  ): Promise<AssetListResponse> {
    return { assets: (await this.assets.list(principal, query.status)).map(assetView) };
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'An asset: its registrant, operators, regulators, and once registered the holders of its rights',
  })
  @ApiOkResponse({ type: AssetResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AssetResponse> {
    return assetView(await this.assets.get(principal, id));
  }

  @Patch(':id')
  @Roles('merchant')
  @ApiOperation({
    summary: 'Merchant: edit its draft (or one sent back for changes); every rule is checked again',
  })
  @ApiOkResponse({ type: AssetResponse })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateAssetDto,
  ): Promise<AssetResponse> {
    return assetView(await this.assets.update(principal, id, assetPatch(body)));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('merchant')
  @ApiOperation({ summary: 'Merchant: submit its draft for the operator’s review' })
  @ApiOkResponse({ type: AssetResponse })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AssetResponse> {
    return assetView(await this.assets.submit(principal, id));
  }

  @Post(':id/security-review')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: record a security review (DS 26) of the asset’s facts, or of a pending change’s new facts; ' +
      'important and core data is approved only after a passed one',
  })
  @ApiCreatedResponse({ type: ReviewResponse })
  async securityReview(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SecurityReviewDto,
  ): Promise<ReviewResponse> {
    return reviewView(
      await this.reviews.securityReview(principal, id, {
        passed: body.passed,
        findings: body.findings,
        requestId: body.requestId,
      }),
    );
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: approve, reject or request changes of a submitted registration (or, with requestId, of a ' +
      'change, transfer, cancellation or objection); approval assigns the registration number and issues the ' +
      'certificate',
  })
  @ApiOkResponse({ type: AssetResponse })
  async review(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReviewDto,
  ): Promise<AssetResponse> {
    return assetView(await this.reviews.reviewRegistration(principal, id, body.decision, body.reason ?? ''));
  }

  @Get(':id/reviews')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The asset’s review history (append-only), oldest first' })
  @ApiOkResponse({ type: ReviewListResponse })
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ReviewListResponse> {
    return { reviews: (await this.assets.reviews(principal, id)).map(reviewView) };
  }

  @Get(':id/certificate')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'The asset’s current registration certificate (registrant, rights holders, operators, regulators); ' +
      'anyone can check one with POST /v1/certificates/verify',
  })
  @ApiOkResponse({ type: CertificateDocument })
  async certificate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AssetCertificate> {
    await this.assets.get(principal, id);
    const document = await this.certificates.current(id);
    if (!document) throw new NotFound('certificate (the asset is not registered)');
    return document;
  }
}
