import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ImportantDataCatalogue } from '@app/assets';
import { OrganisationService, type Principal } from '@app/identity';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { OrganisationResponse } from '../identity/dto/organisation.response.js';
import { organisationView } from '../identity/views.js';
import { RoleGrantDto } from './dto/asset-request.dto.js';
import { ImportantDataCatalogueResponse } from './dto/asset.response.js';
import { importantDataView } from './views.js';

/** What the assets work adds to organisations: the assessor role (DE 42) and the DS 22 catalogue. */
@ApiTags('organisations')
@Controller('v1/organisations')
export class OrganisationAssetsController {
  constructor(
    private readonly organisations: OrganisationService,
    private readonly catalogue: ImportantDataCatalogue,
  ) {}

  @Post(':id/roles')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Operator: grant an admitted organisation the assessor role (DE 42 valuations)' })
  @ApiOkResponse({ type: OrganisationResponse })
  async grant(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RoleGrantDto,
  ): Promise<OrganisationResponse> {
    return organisationView(await this.organisations.changeRole(principal, id, body.role, true));
  }

  @Delete(':id/roles/assessor')
  @Roles('operator')
  @ApiOperation({ summary: 'Operator: withdraw the assessor role' })
  @ApiOkResponse({ type: OrganisationResponse })
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<OrganisationResponse> {
    return organisationView(await this.organisations.changeRole(principal, id, 'assessor', false));
  }

  @Get(':id/important-data')
  @Roles('merchant', 'buyer', 'assessor', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'The organisation’s catalogue of important and core data (DS 22), kept from its registered assets: the ' +
      'organisation itself, operators and regulators. Every change is a ledger entry catalogue.importantDataChanged',
  })
  @ApiOkResponse({ type: ImportantDataCatalogueResponse })
  async importantData(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ImportantDataCatalogueResponse> {
    const assets = await this.catalogue.read(principal, id);
    return { organisationId: id, entries: assets.map((a) => importantDataView(a, id)) };
  }
}
