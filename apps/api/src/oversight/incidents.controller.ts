import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '@app/core';
import { OrganisationService, type Principal } from '@app/identity';
import { IncidentService, yearlyReportCsv } from '@app/oversight';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import {
  ClosureDto,
  ContainmentDto,
  IncidentQueryDto,
  NoticeQueryDto,
  ReportIncidentDto,
  YearlyReportQueryDto,
  YearlyReportSubmissionDto,
} from './incidents.dto.js';
import {
  IncidentNoticeItemResponse,
  IncidentNoticePageResponse,
  IncidentNoticeReceiptsResponse,
  IncidentPageResponse,
  IncidentResponse,
  YearlyReportResponse,
  incidentView,
  noticeItemView,
  noticeReceiptView,
  yearlyReportView,
} from './incidents.response.js';

/**
 * Security incidents (DS 12, 15, 16, 18): reported by a party or the operator, graded by DS 12 表2/表3, sent to the
 * regulators at once when DS 15 or DS 16 asks, the affected parties told; then acknowledged, contained and closed
 * with a summary. The static routes (`notices`, `yearly-report`) come before `:id`.
 */
@ApiTags('incidents')
@ApiExtraModels(YearlyReportResponse)
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly organisations: OrganisationService,
  ) {}

  @Post()
  @Roles('merchant', 'buyer', 'operator')
  @ApiOperation({
    summary:
      'Report a security incident: the level follows from DS 12 表2/表3 (a "/" combination is 422); the ' +
      'importance from the affected assets’ highest level or, with none named, as given; level 3 or above (DS 15) ' +
      'and important or core data (DS 16) go to the regulators at once; the parties whose contracts touch the ' +
      'affected assets are told (DS 16)',
  })
  @ApiCreatedResponse({ type: IncidentResponse })
  async report(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ReportIncidentDto,
  ): Promise<IncidentResponse> {
    const { incident, notice } = await this.incidents.report(principal, {
      title: body.title,
      description: body.description,
      occurredAt: new Date(body.occurredAt),
      affectedAssetIds: body.affectedAssetIds ?? [],
      importance: body.importance,
      businessLoss: body.businessLoss,
      socialHarm: body.socialHarm,
      measures: body.measures,
    });
    return incidentView(incident, notice, this.clock.now());
  }

  @Get()
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'Incidents, newest first, paged: a party sees those it reported; the operator and regulators all',
  })
  @ApiOkResponse({ type: IncidentPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: IncidentQueryDto,
  ): Promise<IncidentPageResponse> {
    const page = await this.incidents.list(principal, {
      state: query.state,
      level: query.level,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
      after: query.after,
      limit: query.limit ?? 50,
    });
    const now = this.clock.now();
    return { items: page.incidents.map((i) => incidentView(i, null, now)), next: page.next };
  }

  @Get('notices')
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'The incidents your organisation was told of as an affected party (DS 16): level, the measures to take and ' +
      'your contracts over the affected assets, newest first',
  })
  @ApiOkResponse({ type: IncidentNoticePageResponse })
  async notices(
    @CurrentPrincipal() principal: Principal,
    @Query() query: NoticeQueryDto,
  ): Promise<IncidentNoticePageResponse> {
    const page = await this.incidents.notices(principal, { after: query.after, limit: query.limit ?? 50 });
    return {
      items: page.items.map(({ incident, notice }) => noticeItemView(incident, notice)),
      next: page.next,
    };
  }

  @Get('yearly-report')
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary:
      'The exchange’s incident report for a year (DS 16 last paragraph): totals by level and state and one line ' +
      'per incident; `format=csv` gives the lines as CSV with a header row',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'JSON (default) or, with format=csv, the incident lines as RFC 4180 CSV with a header row',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(YearlyReportResponse) } },
      'text/csv': { schema: { type: 'string', description: 'a header row, then one line per incident' } },
    },
  })
  async yearlyReport(
    @Query() query: YearlyReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<YearlyReportResponse | string> {
    const report = await this.incidents.yearlyReport(query.year ?? this.clock.now().getUTCFullYear());
    if (query.format !== 'csv') return yearlyReportView(report);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="incidents-${report.year}.csv"`)
      .header('x-content-sha256', report.contentSha256);
    return yearlyReportCsv(report);
  }

  @Post('yearly-report')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: submit the year’s incident report to the regulators (DS 16); the ledger records its SHA-256 ' +
      '(`incident.yearlyReportSubmitted`)',
  })
  @ApiOkResponse({ type: YearlyReportResponse })
  async submitYearlyReport(
    @CurrentPrincipal() principal: Principal,
    @Body() body: YearlyReportSubmissionDto,
  ): Promise<YearlyReportResponse> {
    return yearlyReportView(await this.incidents.submitYearlyReport(principal, body.year));
  }

  @Get(':id')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary: 'An incident: to its reporter, the parties told of it (with their notice) and the overseers',
  })
  @ApiOkResponse({ type: IncidentResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<IncidentResponse> {
    const { incident, notice } = await this.incidents.get(principal, id);
    return incidentView(incident, notice, this.clock.now());
  }

  @Post(':id/notice/read')
  @HttpCode(200)
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'Confirm your organisation read its notice of the incident (DS 16): sets readAt once, on the ledger as ' +
      'incident.noticeRead; again, changes nothing; no notice for your organisation 404',
  })
  @ApiOkResponse({ type: IncidentNoticeItemResponse })
  async readNotice(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<IncidentNoticeItemResponse> {
    const { incident, notice } = await this.incidents.readNotice(principal, id);
    return noticeItemView(incident, notice);
  }

  @Get(':id/notices')
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary:
      'Overseers: every organisation told of the incident (DS 16), by name, with its contracts, when it was told ' +
      'and when it confirmed reading',
  })
  @ApiOkResponse({ type: IncidentNoticeReceiptsResponse })
  async noticesOf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<IncidentNoticeReceiptsResponse> {
    const notices = await this.incidents.noticesOf(principal, id);
    const names = await this.organisations.namesOf(notices.map((n) => n.organisationId));
    return { items: notices.map((n) => noticeReceiptView(n, names)) };
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary: 'Regulator or operator: take a reported incident up (reported → acknowledged; else 409)',
  })
  @ApiOkResponse({ type: IncidentResponse })
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<IncidentResponse> {
    const { incident, notice } = await this.incidents.acknowledge(principal, id);
    return incidentView(incident, notice, this.clock.now());
  }

  @Post(':id/containment')
  @HttpCode(200)
  @Roles('merchant', 'buyer', 'operator')
  @ApiOperation({
    summary:
      'The reporting organisation or the operator: the harm is stopped (reported | acknowledged → contained; ' +
      'else 409)',
  })
  @ApiOkResponse({ type: IncidentResponse })
  async contain(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ContainmentDto,
  ): Promise<IncidentResponse> {
    const { incident, notice } = await this.incidents.contain(principal, id, body.note);
    return incidentView(incident, notice, this.clock.now());
  }

  @Post(':id/closure')
  @HttpCode(200)
  @Roles('merchant', 'buyer', 'operator')
  @ApiOperation({
    summary:
      'The reporting organisation or the operator: close with the summary report (DS 16: within a week for ' +
      'important or core data; a later closure is recorded late)',
  })
  @ApiOkResponse({ type: IncidentResponse })
  async close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ClosureDto,
  ): Promise<IncidentResponse> {
    const { incident, notice } = await this.incidents.close(principal, id, body.summary);
    return incidentView(incident, notice, this.clock.now());
  }
}
