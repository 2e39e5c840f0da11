import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OrganisationService, RegistrationService, type Principal } from '@app/identity';
import { Authenticated, Public, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { AdmissionDto, OrganisationQueryDto } from './dto/admission.dto.js';
import {
  OrganisationListResponse,
  OrganisationResponse,
  SignUpResponse,
} from './dto/organisation.response.js';
import { OverseerRegisteredDto } from './dto/enrolment.dto.js';
import { NewOverseerDto, SignUpDto } from './dto/sign-up.dto.js';
import { accountView, organisationView } from './views.js';

@ApiTags('organisations')
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly organisations: OrganisationService,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Sign up an organisation or a person; trading waits for the operator to admit it',
  })
  @ApiCreatedResponse({ type: SignUpResponse })
  async signUp(@Body() body: SignUpDto, @Req() request: FastifyRequest): Promise<SignUpResponse> {
    const { organisation, account } = await this.registration.signUp(
      {
        kind: body.kind,
        name: body.name,
        identifier: (body.kind === 'organisation' ? body.creditCode : body.idNumber)!,
        roles: body.roles,
        admin: body.admin,
        registeredIn: body.registeredIn,
      },
      request.ip,
    );
    return { organisation: organisationView(organisation), account: accountView(account) };
  }

  @Post('overseers')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: register an operator or regulator body, admitted at once; its account holder sets the ' +
      'password through the one-time enrolment link in this response',
  })
  @ApiCreatedResponse({ type: OverseerRegisteredDto })
  async registerOverseer(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NewOverseerDto,
  ): Promise<OverseerRegisteredDto> {
    const { organisation, account, enrolmentToken, enrolmentExpiresAt } =
      await this.registration.registerOverseer(body, {
        accountId: principal.accountId,
        organisationId: principal.organisationId,
      });
    return {
      organisation: organisationView(organisation),
      account: accountView(account),
      enrolment: {
        token: enrolmentToken,
        expiresAt: enrolmentExpiresAt.toISOString(),
        redeem: 'POST /v1/auth/enrolment with {token, password}',
      },
    };
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Organisations the caller may see: its own; operators and regulators see all' })
  @ApiOkResponse({ type: OrganisationListResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OrganisationQueryDto,
  ): Promise<OrganisationListResponse> {
    return { organisations: (await this.organisations.list(principal, query.status)).map(organisationView) };
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: OrganisationResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<OrganisationResponse> {
    return organisationView(await this.organisations.get(principal, id));
  }

  @Post(':id/admission')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Operator: admit, reject, suspend or reinstate an organisation' })
  @ApiOkResponse({ type: OrganisationResponse })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AdmissionDto,
  ): Promise<OrganisationResponse> {
    return organisationView(
      await this.organisations.decide(principal, id, body.decision, body.reason ?? null),
    );
  }
}
