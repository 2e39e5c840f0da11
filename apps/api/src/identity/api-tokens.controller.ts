import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenService, type Principal } from '@app/identity';
import { Authenticated } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { CreateApiTokenDto } from './dto/api-token.dto.js';
import { ApiTokenListResponse, ApiTokenResponse, CreatedApiTokenResponse } from './dto/api-token.response.js';
import { apiTokenView } from './views.js';

@ApiTags('api tokens')
@Controller('v1/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  @Post()
  @Authenticated({ sessionOnly: true })
  @ApiOperation({ summary: 'Create an API token; its secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiTokenDto,
  ): Promise<CreatedApiTokenResponse> {
    const { token, record } = await this.tokens.create(principal, body);
    return { ...apiTokenView(record), token };
  }

  @Get()
  @Authenticated({ sessionOnly: true })
  @ApiOkResponse({ type: ApiTokenListResponse })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenListResponse> {
    return { tokens: (await this.tokens.list(principal)).map(apiTokenView) };
  }

  @Delete(':id')
  @Authenticated({ sessionOnly: true })
  @ApiOkResponse({ type: ApiTokenResponse, description: 'the token, now revoked' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ApiTokenResponse> {
    return apiTokenView(await this.tokens.revoke(principal, id));
  }
}
