import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { DestructionService } from '@app/oversight';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { DestructionDecisionDto, DestructionQueryDto, NewDestructionDto } from './destructions.dto.js';
import { DestructionPageResponse, DestructionResponse, destructionView } from './destructions.response.js';

/** Destruction of an asset's data held by the platform (DS 37): asked by its merchant, approved by a regulator. */
@ApiTags('destructions')
@Controller('v1/destructions')
export class DestructionsController {
  constructor(private readonly destructions: DestructionService) {}

  @Post()
  @Roles('merchant')
  @ApiOperation({
    summary:
      "Merchant: ask to destroy an asset's data (registrant or holder). General data is destroyed at once; " +
      'important and core data wait for a regulator (DS 37)',
  })
  @ApiCreatedResponse({ type: DestructionResponse })
  async request(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NewDestructionDto,
  ): Promise<DestructionResponse> {
    return destructionView(
      await this.destructions.request(principal, { assetId: body.assetId, reason: body.reason }),
    );
  }

  @Get()
  @Roles('merchant', 'operator', 'regulator')
  @ApiOperation({
    summary: 'Destructions, newest first, paged: a merchant its own, the operator and regulators all',
  })
  @ApiOkResponse({ type: DestructionPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DestructionQueryDto,
  ): Promise<DestructionPageResponse> {
    const page = await this.destructions.list(principal, {
      state: query.state,
      assetId: query.assetId,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.destructions.map(destructionView), next: page.next };
  }

  @Get(':id')
  @Roles('merchant', 'operator', 'regulator')
  @ApiOperation({ summary: 'A destruction: to its organisation, the operator and regulators' })
  @ApiOkResponse({ type: DestructionResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DestructionResponse> {
    return destructionView(await this.destructions.get(principal, id));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({
    summary:
      'Regulator: approve (the data is destroyed at once) or refuse (nothing is destroyed) a requested destruction',
  })
  @ApiOkResponse({ type: DestructionResponse })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DestructionDecisionDto,
  ): Promise<DestructionResponse> {
    return destructionView(
      await this.destructions.decide(principal, id, { decision: body.decision, reason: body.reason }),
    );
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles('merchant')
  @ApiOperation({ summary: 'Merchant: withdraw its own destruction request not yet decided' })
  @ApiOkResponse({ type: DestructionResponse })
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DestructionResponse> {
    return destructionView(await this.destructions.withdraw(principal, id));
  }
}
