import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  AuthenticationService,
  RegistrationService,
  SecondFactorService,
  type Principal,
} from '@app/identity';
import { Authenticated, Public } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { LoginDto, TotpCodeDto } from './dto/auth.dto.js';
import { LoginResponse, PrincipalResponse, TotpEnrolmentResponse } from './dto/auth.response.js';
import { EnrolmentRedeemedDto, RedeemEnrolmentDto } from './dto/enrolment.dto.js';
import { principalView } from './views.js';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthenticationService,
    private readonly secondFactor: SecondFactorService,
    private readonly registration: RegistrationService,
  ) {}

  @Post('enrolment')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary:
      'Redeem the one-time enrolment link of an operator or regulator account: choose its password, then sign in ' +
      'and enrol TOTP',
  })
  @ApiOkResponse({ type: EnrolmentRedeemedDto })
  async redeemEnrolment(@Body() body: RedeemEnrolmentDto): Promise<EnrolmentRedeemedDto> {
    const account = await this.registration.redeemEnrolment(body.token, body.password);
    return {
      accountId: account.id,
      username: account.username,
      next: 'sign in with this password (POST /v1/auth/login), then enrol TOTP (POST /v1/auth/totp)',
    };
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Password (and TOTP) login; returns a bearer session token' })
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<LoginResponse> {
    const result = await this.auth.login({ ...body, clientAddress: request.ip });
    return {
      token: result.token,
      expiresAt: result.expiresAt.toISOString(),
      secondFactorDone: result.secondFactorDone,
      principal: principalView(result.principal),
    };
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated({ beforeSecondFactor: true })
  @ApiNoContentResponse({ description: 'the session has ended' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Get('me')
  @Authenticated({ beforeSecondFactor: true })
  @ApiOkResponse({ type: PrincipalResponse })
  me(@CurrentPrincipal() principal: Principal): PrincipalResponse {
    return principalView(principal);
  }

  @Post('totp')
  @Authenticated({ beforeSecondFactor: true, sessionOnly: true })
  @ApiOperation({ summary: 'Start TOTP enrolment: the seed is shown once, for the authenticator app' })
  @ApiCreatedResponse({ type: TotpEnrolmentResponse })
  async enrol(@CurrentPrincipal() principal: Principal): Promise<TotpEnrolmentResponse> {
    const { secret, otpauthUri } = await this.secondFactor.enrol(principal);
    return { secret, otpauthUri };
  }

  @Post('totp/confirm')
  @HttpCode(204)
  @Authenticated({ beforeSecondFactor: true, sessionOnly: true })
  @ApiNoContentResponse({ description: 'TOTP is on' })
  @ApiOperation({
    summary: 'Confirm enrolment with a first code; TOTP is required at every login after this',
  })
  async confirm(@CurrentPrincipal() principal: Principal, @Body() body: TotpCodeDto): Promise<void> {
    await this.secondFactor.confirm(principal, body.code);
  }
}
