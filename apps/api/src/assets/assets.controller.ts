import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssetRequestService,
  AssetReviewService,
  AssetService,
  CertificateService,
  ValuationService,
  toAssetColumn,
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
  AssetDetailResponse,
  AssetListResponse,
  AssetRequestListResponse,
  AssetRequestResponse,
  AssetResponse,
  CancellationResponse,
  ValuationListResponse,
  ValuationResponse,
  ReviewListResponse,
  ReviewResponse,
} from './dto/asset.response.js';
import { CertificateDocument } from './dto/certificate.response.js';
import { assetView, requestView, reviewView, valuationView } from './views.js';
import { ChangeRequestDto, ReasonDto, TransferRequestDto, ValuationDto } from './dto/asset-request.dto.js';

const READERS = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'] as const;

/** The DTO as the lib's input: optional fields become explicit nulls. */
export function assetInput(body: CreateAssetDto): AssetInput {
  return {
    title: body.title,
    description: body.description,
    industry: body.industry,
    dataKind: body.dataKind,
    source: { method: body.source.method, description: body.source.description },
    columns: body.columns.map(toAssetColumn),
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
    private readonly requests: AssetRequestService,
    private readonly valuations: ValuationService,
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
  @ApiOkResponse({ type: AssetDetailResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AssetDetailResponse> {
    const asset = await this.assets.get(principal, id);
    return { ...assetView(asset), valuations: (await this.valuations.of(id)).map(valuationView) };
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
    const reason = body.reason ?? '';
    return assetView(
      body.requestId
        ? await this.requests.decide(principal, id, body.requestId, body.decision, reason)
        : await this.reviews.reviewRegistration(principal, id, body.decision, reason),
    );
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

  @Post(':id/changes')
  @Roles('merchant')
  @ApiOperation({
    summary:
      'Registrant: propose new facts of a registered asset; the operator reviews them (POST …/review with ' +
      'requestId) and approval issues the certificate’s next version',
  })
  @ApiCreatedResponse({ type: AssetRequestResponse })
  async requestChange(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChangeRequestDto,
  ): Promise<AssetRequestResponse> {
    return requestView(
      await this.requests.requestChange(principal, id, assetPatch(body.changes), body.reason),
    );
  }

  @Post(':id/transfers')
  @Roles('merchant')
  @ApiOperation({
    summary:
      'Registrant or a rights holder: propose new holders and shares of the three rights (DE 35), for review',
  })
  @ApiCreatedResponse({ type: AssetRequestResponse })
  async requestTransfer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: TransferRequestDto,
  ): Promise<AssetRequestResponse> {
    const rights = body.rights.map((r) => ({
      right: r.right,
      organisationId: r.organisationId,
      shareBasisPoints: r.shareBasisPoints,
    }));
    return requestView(await this.requests.requestTransfer(principal, id, rights, body.reason));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('merchant', 'operator')
  @ApiOperation({
    summary:
      'Cancel a registration (注销): the registrant asks and the operator reviews; the operator cancels at once. ' +
      'The certificate is re-issued with status cancelled',
  })
  @ApiOkResponse({ type: CancellationResponse })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<CancellationResponse> {
    const { asset, request } = await this.requests.cancel(principal, id, body.reason);
    return { asset: assetView(asset), request: requestView(request) };
  }

  @Post(':id/objections')
  @Roles('merchant', 'buyer', 'assessor', 'regulator')
  @ApiOperation({
    summary:
      'Any admitted organisation: object to a registration (异议) with its reason; the operator upholds it ' +
      '(the asset is suspended) or dismisses it',
  })
  @ApiCreatedResponse({ type: AssetRequestResponse })
  async object(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<AssetRequestResponse> {
    return requestView(await this.requests.object(principal, id, body.reason));
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Operator: reinstate an asset suspended by an upheld objection' })
  @ApiOkResponse({ type: AssetResponse })
  async reinstate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<AssetResponse> {
    return assetView(await this.requests.reinstate(principal, id, body.reason));
  }

  @Get(':id/requests')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Requests after registration (change, transfer, cancellation, objection), oldest first',
  })
  @ApiOkResponse({ type: AssetRequestListResponse })
  async listRequests(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AssetRequestListResponse> {
    return { requests: (await this.requests.requests(principal, id)).map(requestView) };
  }

  @Post(':id/valuations')
  @Roles('assessor')
  @ApiOperation({
    summary:
      'Assessor: file a valuation report of a registered asset (DE 42): method, value in fen, date, the report ' +
      'file’s SHA-256',
  })
  @ApiCreatedResponse({ type: ValuationResponse })
  async value(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ValuationDto,
  ): Promise<ValuationResponse> {
    return valuationView(
      await this.valuations.file(principal, id, {
        method: body.method,
        valueFen: BigInt(body.valueFen),
        valuedOn: body.valuedOn,
        reportSha256: body.reportSha256,
      }),
    );
  }

  @Get(':id/valuations')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The asset’s valuation reports, oldest first' })
  @ApiOkResponse({ type: ValuationListResponse })
  async listValuations(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ValuationListResponse> {
    await this.assets.get(principal, id);
    return { valuations: (await this.valuations.of(id)).map(valuationView) };
  }
}
