import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@app/identity';
import { ContractDeliveryService, ContractFundingService, DisputeService } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { fenOf } from '../http/fen.validator.js';
import { IDEMPOTENCY_HEADER, scopedKey } from '../settlement/idempotency-key.js';
import { ContractResponse, TypedDataFieldResponse } from './contract.response.js';
import { TradeViews } from './trade-views.js';
import { FundContractDto, OpenDisputeDto } from './contract-money.dto.js';
import { DisputeResponse, disputeView } from './disputes.response.js';

/** A contract's money: the buyer's funding into escrow, its confirmation of delivery, either party's dispute. */
@ApiTags('contracts')
// ContractResponse names TypedDataFieldResponse by a raw $ref (inside additionalProperties): register it.
@ApiExtraModels(TypedDataFieldResponse)
@Controller('v1/contracts')
export class ContractMoneyController {
  constructor(
    private readonly funding: ContractFundingService,
    private readonly delivery: ContractDeliveryService,
    private readonly disputes: DisputeService,
    private readonly views: TradeViews,
  ) {}

  @Post(':id/fund')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOperation({
    summary:
      'Buyer: pay a signed contract into escrow (signed → active): one hold for a one-off or subscription ' +
      'contract, one per computation for per-computation billing. 422 insufficient_funds leaves it signed; ' +
      '409 when it is not signed',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ type: ContractResponse })
  async fund(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: FundContractDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContractResponse> {
    const scoped = scopedKey(principal, key);
    const funded = await this.funding.fund(
      principal,
      id,
      scoped,
      body.amountFen === undefined ? undefined : fenOf(body.amountFen),
    );
    if (funded.replayed) void reply.header('idempotent-replayed', 'true');
    return this.views.contract(funded.contract);
  }

  @Post(':id/confirm-delivery')
  @HttpCode(200)
  @Roles('buyer')
  @ApiOperation({
    summary:
      'Buyer: confirm delivery. One-off: the escrow is paid out (fees, then the rights holders’ shares) and the ' +
      'contract completes; subscription: paid out, access runs to endsAt; per-computation: recorded only (each ' +
      'unit is paid when its result is released). 409 once released, or while disputed',
  })
  @ApiOkResponse({ type: ContractResponse })
  async confirmDelivery(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ContractResponse> {
    return this.views.contract((await this.delivery.confirmDelivery(principal, id)).contract);
  }

  @Post(':id/disputes')
  @Roles('buyer', 'merchant')
  @ApiOperation({
    summary:
      'Buyer or merchant of the contract: open a dispute (争议处理) while its escrow is held; the escrow freezes ' +
      'until the operator decides',
  })
  @ApiCreatedResponse({ type: DisputeResponse })
  async openDispute(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: OpenDisputeDto,
  ): Promise<DisputeResponse> {
    return disputeView(
      await this.disputes.open(principal, id, {
        statement: body.statement,
        evidenceHashes: body.evidenceHashes,
      }),
    );
  }
}
