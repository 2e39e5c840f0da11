import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@app/identity';
import { ComplaintService } from '@app/oversight';
import { Public, PublicIdentified, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal, OptionalPrincipal } from '../http/current-principal.decorator.js';
import {
  ComplaintDecisionDto,
  ComplaintNoteDto,
  ComplaintQueryDto,
  NewComplaintDto,
  ReceiptLookupDto,
} from './complaints.dto.js';
import {
  ComplaintPageResponse,
  ComplaintResponse,
  ComplaintStatusResponse,
  FiledComplaintResponse,
  complaintStatusView,
  complaintView,
  filedView,
} from './complaints.response.js';

@ApiTags('complaints')
@Controller('v1/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintService) {}

  @Post()
  @PublicIdentified()
  @ApiOperation({
    summary:
      'Anyone: report a suspected violation, optionally about a listing, organisation or contract (DE 26, DE 60, ' +
      'DS 58). Without a credential it is anonymous (throttled per address); with a bearer token the reporter’s ' +
      'account is recorded, never shown to the reported party. The receipt code is shown this once',
  })
  @ApiCreatedResponse({ type: FiledComplaintResponse })
  async file(
    @Body() body: NewComplaintDto,
    @OptionalPrincipal() principal: Principal | null,
    @Req() request: FastifyRequest,
  ): Promise<FiledComplaintResponse> {
    const { complaint, receiptCode } = await this.complaints.file(
      { principal, clientAddress: request.ip },
      {
        category: body.category,
        subjectKind: body.subjectKind ?? null,
        subjectId: body.subjectId ?? null,
        statement: body.statement,
        evidenceHashes: body.evidenceHashes ?? [],
        contact: body.contact ?? null,
      },
    );
    return filedView(complaint, receiptCode);
  }

  @Post('lookup')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Anyone holding a receipt code: where the complaint stands (state, outcome, the handlers’ note)',
  })
  @ApiOkResponse({ type: ComplaintStatusResponse })
  async lookup(@Body() body: ReceiptLookupDto): Promise<ComplaintStatusResponse> {
    return complaintStatusView(await this.complaints.lookup(body.receiptCode));
  }

  @Get()
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary: 'Operator or regulator: complaints, newest first, paged, by state, category, subject kind',
  })
  @ApiOkResponse({ type: ComplaintPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ComplaintQueryDto,
  ): Promise<ComplaintPageResponse> {
    const page = await this.complaints.list(principal, {
      state: query.state,
      category: query.category,
      subjectKind: query.subjectKind,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.complaints.map(complaintView), next: page.next };
  }

  @Get(':id')
  @Roles('operator', 'regulator')
  @ApiOperation({ summary: 'Operator or regulator: the whole complaint, reporter included' })
  @ApiOkResponse({ type: ComplaintResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ComplaintResponse> {
    return complaintView(await this.complaints.get(principal, id));
  }

  @Post(':id/triage')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({ summary: 'Operator or regulator: accept a received complaint for handling' })
  @ApiOkResponse({ type: ComplaintResponse })
  async triage(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ComplaintNoteDto,
  ): Promise<ComplaintResponse> {
    return complaintView(await this.complaints.triage(principal, id, body.publicNote ?? null));
  }

  @Post(':id/investigation')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({ summary: 'Operator or regulator: put a received or triaged complaint under investigation' })
  @ApiOkResponse({ type: ComplaintResponse })
  async investigate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ComplaintNoteDto,
  ): Promise<ComplaintResponse> {
    return complaintView(await this.complaints.investigate(principal, id, body.publicNote ?? null));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary:
      'Operator or regulator: uphold or dismiss with a reason; an upheld complaint may suspend the listing, ' +
      'organisation or contract it names (suspend: true), in the same transaction (DS 58)',
  })
  @ApiOkResponse({ type: ComplaintResponse })
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ComplaintDecisionDto,
  ): Promise<ComplaintResponse> {
    return complaintView(
      await this.complaints.decide(principal, id, {
        outcome: body.outcome,
        reason: body.reason,
        publicNote: body.publicNote ?? null,
        suspend: body.suspend ?? false,
      }),
    );
  }
}
