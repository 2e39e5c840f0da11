import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { DisputeService } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { DisputeDecisionDto, DisputeQueryDto } from './disputes.dto.js';
import { DisputePageResponse, DisputeResponse, disputeView } from './disputes.response.js';

@ApiTags('disputes')
@Controller('v1/disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputeService) {}

  @Get()
  @Roles('buyer', 'merchant', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'Disputes, newest first, paged: a party sees those over its contracts; the operator and regulators all',
  })
  @ApiOkResponse({ type: DisputePageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DisputeQueryDto,
  ): Promise<DisputePageResponse> {
    const page = await this.disputes.list(principal, {
      contractId: query.contractId,
      state: query.state,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.disputes.map(disputeView), next: page.next };
  }

  @Get(':id')
  @Roles('buyer', 'merchant', 'operator', 'regulator')
  @ApiOperation({ summary: 'A dispute: to both parties of its contract, the operator and regulators' })
  @ApiOkResponse({ type: DisputeResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DisputeResponse> {
    return disputeView(await this.disputes.get(principal, id));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: decide an open dispute with a reason — release (paid out as on delivery), refund (returned to ' +
      'the buyer) or split (buyerShareBasisPoints back to the buyer, the rest paid out); the contract ends',
  })
  @ApiOkResponse({ type: DisputeResponse })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DisputeDecisionDto,
  ): Promise<DisputeResponse> {
    return disputeView(
      await this.disputes.decide(principal, id, {
        outcome: body.outcome,
        buyerShareBasisPoints: body.buyerShareBasisPoints ?? null,
        reason: body.reason,
      }),
    );
  }
}
