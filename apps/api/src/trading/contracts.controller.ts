import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { ContractSigningService } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { ContractResponse, TypedDataFieldResponse } from './contract.response.js';
import { TradeViews } from './trade-views.js';
import { ContractQueryDto, ContractSignatureDto } from './contracts.dto.js';

export class ContractPageResponse {
  @ApiProperty({ type: [ContractResponse] })
  items!: ContractResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

@ApiTags('contracts')
// The typed data's `types` refer to this schema by name (a map of arrays, which swagger cannot infer).
@ApiExtraModels(TypedDataFieldResponse)
@Controller('v1/contracts')
export class ContractsController {
  constructor(
    private readonly signing: ContractSigningService,
    private readonly views: TradeViews,
  ) {}

  @Get()
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'The caller’s contracts (as buyer or merchant); operators and regulators see all. Newest first, paged',
  })
  @ApiOkResponse({ type: ContractPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ContractQueryDto,
  ): Promise<ContractPageResponse> {
    const page = await this.signing.list(principal, {
      state: query.state,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: await this.views.contracts(page.contracts), next: page.next };
  }

  @Get(':id')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'A contract with the EIP-712 typed data to sign (what eth_signTypedData_v4 takes) and the signatures so ' +
      'far; its parties and overseers only (others 404)',
  })
  @ApiOkResponse({ type: ContractResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ContractResponse> {
    return this.views.contract(await this.signing.get(principal, id));
  }

  @Post(':id/signatures')
  @HttpCode(200)
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'A party signs: the EIP-712 signature over `typedData` by its organisation’s registered signing address. ' +
      'The second signature makes the exchange countersign and the contract `signed`. Another key, other terms or ' +
      'another contract: 422 signature_mismatch; no registered address, signing twice, or a contract not ' +
      'awaiting signatures: 409',
  })
  @ApiOkResponse({ type: ContractResponse })
  async sign(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ContractSignatureDto,
  ): Promise<ContractResponse> {
    return this.views.contract(await this.signing.sign(principal, id, body.signature));
  }
}
