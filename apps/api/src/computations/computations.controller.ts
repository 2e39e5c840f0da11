import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ComputationReader,
  ComputationReleaseService,
  ComputationService,
  type ComputationRequest,
} from '@app/compute';
import type { Principal } from '@app/identity';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { BodyLimit, COMPUTATION_BODY_LIMIT_BYTES } from './route-body-limit.js';
import {
  ComputationListQueryDto,
  CreateComputationDto,
  RefuseComputationDto,
  ReleaseComputationDto,
} from './computations.dto.js';
import {
  ComputationDto,
  ComputationPageDto,
  ComputationResultDto,
  EvaluationBundleDto,
  bundleView,
  computationView,
} from './computations.response.js';

@ApiTags('computations')
@Controller('v1/computations')
export class ComputationsController {
  constructor(
    private readonly computations: ComputationService,
    private readonly reader: ComputationReader,
    private readonly releases: ComputationReleaseService,
  ) {}

  @Post()
  @Roles('buyer')
  @BodyLimit(COMPUTATION_BODY_LIMIT_BYTES)
  @ApiOperation({
    summary:
      'Buyer: run a recipe of the contract on its dataset. Checked before queueing (contract active, units left, ' +
      'recipe and columns in the terms, filters on public columns, result key, k rows, ε budget, differencing): ' +
      '422 {code} and nothing written. 201 queued; a repeat of a released computation on the same rows is 200 ' +
      'with that computation (nothing spent). The body may be up to 32 MiB (10^6 dot-product weights); 413 above. ' +
      'Ledger: computation.requested',
  })
  @ApiCreatedResponse({ type: ComputationDto })
  @ApiOkResponse({ type: ComputationDto })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateComputationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComputationDto> {
    const request: ComputationRequest = {
      contractId: body.contractId,
      recipe: body.recipe,
      bindings: body.bindings,
      ...(body.params !== undefined ? { params: body.params } : {}),
      filters: (body.filters ?? []).map((f) => ({ column: f.column, op: f.op, value: f.value })),
      ...(body.datasetId !== undefined ? { datasetId: body.datasetId } : {}),
    };
    const { computation, created } = await this.computations.submit(principal, request);
    void reply.status(created ? 201 : 200);
    return computationView(computation);
  }

  @Get()
  @Roles('buyer', 'merchant', 'operator', 'regulator')
  @ApiOperation({
    summary: 'Computations you may see (buyer or merchant organisation; overseers all), newest first',
  })
  @ApiOkResponse({ type: ComputationPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ComputationListQueryDto,
  ): Promise<ComputationPageDto> {
    const page = await this.reader.list(principal, {
      contractId: query.contractId,
      state: query.state,
      cursor: query.cursor ?? query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.items.map(computationView), next: page.next };
  }

  @Get(':id')
  @Roles('buyer', 'merchant', 'operator', 'regulator')
  @ApiOperation({ summary: "A computation's state and hashes (buyer, merchant, overseers; others 404)" })
  @ApiOkResponse({ type: ComputationDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ComputationDto> {
    return computationView(await this.reader.get(principal, id));
  }

  @Get(':id/evaluation')
  @Roles('merchant')
  @ApiOperation({
    summary:
      "The dataset's merchant (its agent): the encrypted aggregates and everything the release check needs. " +
      '409 not_evaluated unless evaluated; 404 for anyone else',
  })
  @ApiOkResponse({ type: EvaluationBundleDto })
  async evaluation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<EvaluationBundleDto> {
    return bundleView(await this.releases.bundle(principal, id));
  }

  @Post(':id/release')
  @Roles('merchant')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The dataset's merchant: release with the result sealed to the buyer. One transaction: released, ε spent " +
      '(422 budget_exhausted past the budget), ledger computation.released, one metered unit for per-computation ' +
      'contracts. The same envelope again is 200 and charges nothing; another is 409 already_released',
  })
  @ApiOkResponse({ type: ComputationDto })
  async release(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReleaseComputationDto,
  ): Promise<ComputationDto> {
    return computationView(
      await this.releases.release(principal, id, {
        envelope: body.envelope,
        epsilonSpentMilli: body.epsilonSpentMilli,
      }),
    );
  }

  @Post(':id/refuse')
  @Roles('merchant')
  @HttpCode(200)
  @ApiOperation({
    summary: "The dataset's merchant: refuse an evaluated computation with a policy code or agent_refused",
  })
  @ApiOkResponse({ type: ComputationDto })
  async refuse(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RefuseComputationDto,
  ): Promise<ComputationDto> {
    return computationView(
      await this.releases.refuse(principal, id, { code: body.code, reason: body.reason }),
    );
  }

  @Get(':id/result')
  @Roles('buyer')
  @ApiOperation({
    summary:
      "The buyer's sealed result (open it with your result key): 404 for others, 409 not_released before",
  })
  @ApiOkResponse({ type: ComputationResultDto })
  async result(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ComputationResultDto> {
    const { computation, envelope } = await this.reader.result(principal, id);
    return {
      computationId: computation.id,
      contractId: computation.contractId,
      resultHash: computation.resultSha256!,
      envelope,
    };
  }
}
