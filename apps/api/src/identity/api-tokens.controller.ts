import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenService, type Principal } from '@app/identity';
import { Authenticated } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { CreateApiTokenDto } from './dto/api-token.dto.js';
import { apiTokenView } from './views.js';

@ApiTags('api tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  @Post()
  @Authenticated({ sessionOnly: true })
  @ApiOperation({ summary: 'Create an API token; its secret is in this response only' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto) {
    const { token, record } = await this.tokens.create(principal, body);
    return { ...apiTokenView(record), token };
  }

  @Get()
  @Authenticated({ sessionOnly: true })
  async list(@CurrentPrincipal() principal: Principal) {
    return { tokens: (await this.tokens.list(principal)).map(apiTokenView) };
  }

  @Delete(':id')
  @Authenticated({ sessionOnly: true })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return apiTokenView(await this.tokens.revoke(principal, id));
  }
}
