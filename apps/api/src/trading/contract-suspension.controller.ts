import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Principal } from '@app/identity';
import { ContractSuspensionService } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { ContractResponse } from './contract.response.js';
import { TradeViews } from './trade-views.js';

export class ContractSuspensionDto {
  @ApiProperty({ description: 'why (1 to 1000 characters); on the ledger entry both parties read' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

@ApiTags('contracts')
@Controller('v1/contracts')
export class ContractSuspensionController {
  constructor(
    private readonly suspensions: ContractSuspensionService,
    private readonly views: TradeViews,
  ) {}

  @Post(':id/suspension')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary:
      'Operator or regulator: suspend an active contract with a reason (DS 58): no computation, download or ' +
      'money step runs until it is reinstated; the escrow stays held',
  })
  @ApiOkResponse({ type: ContractResponse })
  async suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ContractSuspensionDto,
  ): Promise<ContractResponse> {
    return this.views.contract(await this.suspensions.suspend(principal, id, body.reason));
  }

  @Post(':id/reinstatement')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary: 'Operator or regulator: reinstate a suspended contract (active again), with a reason',
  })
  @ApiOkResponse({ type: ContractResponse })
  async reinstate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ContractSuspensionDto,
  ): Promise<ContractResponse> {
    return this.views.contract(await this.suspensions.reinstate(principal, id, body.reason));
  }
}
