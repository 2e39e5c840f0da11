import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { ResultKeyService, type ResultKeyRecord } from '@app/results';
import { Authenticated, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { RegisterResultKeyDto } from './result-keys.dto.js';
import {
  OwnResultKeyResponse,
  ResultKeyRegistrationResponse,
  ResultKeyResponse,
} from './result-keys.response.js';

const served = (k: ResultKeyRecord): ResultKeyResponse => ({
  organisationId: k.organisationId,
  publicKey: k.publicKey,
  keyId: k.keyId,
  registeredAt: k.registeredAt.toISOString(),
});

@ApiTags('results')
@Controller('v1/result-keys')
export class ResultKeysController {
  constructor(private readonly keys: ResultKeyService) {}

  @Post()
  @Roles('buyer')
  @ApiOperation({
    summary:
      'Register (or replace) the X25519 public key the caller’s organisation has released results sealed to ' +
      '(HPKE, RFC 9180); a key that is not 32 bytes of base64url, or a low-order point: 400',
  })
  @ApiCreatedResponse({ type: ResultKeyRegistrationResponse })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RegisterResultKeyDto,
  ): Promise<ResultKeyRegistrationResponse> {
    const r = await this.keys.register(principal, body.publicKey);
    return { ...served(r), previousKeyId: r.previousKeyId };
  }

  @Get('mine')
  @Roles('buyer')
  @ApiOperation({
    summary: 'The caller’s organisation’s result key; its fields null until it registered one',
  })
  @ApiOkResponse({ type: OwnResultKeyResponse })
  async mine(@CurrentPrincipal() principal: Principal): Promise<OwnResultKeyResponse> {
    const k = await this.keys.find(principal.organisationId);
    return {
      organisationId: principal.organisationId,
      publicKey: k?.publicKey ?? null,
      keyId: k?.keyId ?? null,
      registeredAt: k?.registeredAt.toISOString() ?? null,
    };
  }

  @Get(':organisationId')
  @Authenticated()
  @ApiOperation({
    summary:
      'An organisation’s result key, for sealing results to it (a public key: any signed-in party may read ' +
      'it); 404 when it registered none',
  })
  @ApiOkResponse({ type: ResultKeyResponse })
  async of(@Param('organisationId', new ParseUUIDPipe()) organisationId: string): Promise<ResultKeyResponse> {
    return served(await this.keys.of(organisationId));
  }
}
