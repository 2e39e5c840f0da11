import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { SigningAddressService } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { RegisterSigningAddressDto } from './signing-address.dto.js';
import {
  SigningAddressRegistrationResponse,
  SigningAddressResponse,
  SigningChallengeResponse,
} from './signing-address.response.js';

@ApiTags('contracts')
@Controller('v1/signing-address')
export class SigningAddressController {
  constructor(private readonly addresses: SigningAddressService) {}

  @Get('challenge')
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'A challenge for proving possession of a signing address: sign `message` with personal_sign (EIP-191) ' +
      'within ten minutes and POST it to /v1/signing-address; each challenge is used once',
  })
  @ApiOkResponse({ type: SigningChallengeResponse })
  async challenge(@CurrentPrincipal() principal: Principal): Promise<SigningChallengeResponse> {
    const c = await this.addresses.challenge(principal);
    return {
      message: c.message,
      nonce: c.nonce,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt.toISOString(),
    };
  }

  @Post()
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'Register (or replace) the address the caller’s organisation signs contracts with, by its personal ' +
      'signature over an open challenge; another key, other text, another organisation’s or an expired ' +
      'challenge: 422; a used challenge: 409',
  })
  @ApiCreatedResponse({ type: SigningAddressRegistrationResponse })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RegisterSigningAddressDto,
  ): Promise<SigningAddressRegistrationResponse> {
    const r = await this.addresses.register(principal, body.address, body.signature);
    return {
      organisationId: r.organisationId,
      address: r.address,
      registeredByAccountId: r.registeredByAccountId,
      registeredAt: r.registeredAt.toISOString(),
      previousAddress: r.previousAddress,
    };
  }

  @Get()
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary: 'The caller’s organisation’s signing address; `address` null until it registered one',
  })
  @ApiOkResponse({ type: SigningAddressResponse })
  async current(@CurrentPrincipal() principal: Principal): Promise<SigningAddressResponse> {
    const a = await this.addresses.current(principal);
    return {
      organisationId: principal.organisationId,
      address: a?.address ?? null,
      registeredByAccountId: a?.registeredByAccountId ?? null,
      registeredAt: a?.registeredAt.toISOString() ?? null,
    };
  }
}
