import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { RiskReportService } from '@app/oversight';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { FileRiskReportDto, RiskReportQueryDto } from './risk-reports.dto.js';
import {
  FiledRiskReportResponse,
  OverdueHolderListResponse,
  RiskReportDetailResponse,
  RiskReportDraftResponse,
  RiskReportPageResponse,
  draftView,
  filedRiskReportView,
  overdueView,
  riskReportView,
} from './risk-reports.response.js';

/** Risk assessment reports (DS 60, 63, 65): filed by holders of important data, read by them and the overseers. */
@ApiTags('risk-reports')
@Controller('v1/risk-reports')
export class RiskReportsController {
  constructor(private readonly reports: RiskReportService) {}

  @Get('draft')
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'A report prefilled for your organisation: one importantData line per asset of its DS 22 catalogue, this ' +
      'year, and when the next report is due (DS 63)',
  })
  @ApiOkResponse({ type: RiskReportDraftResponse })
  async draft(@CurrentPrincipal() principal: Principal): Promise<RiskReportDraftResponse> {
    return draftView(await this.reports.draft(principal));
  }

  @Get('overdue')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Holders of important or core data whose yearly report (DS 63) is past due: a year after their last ' +
      'report, or after their first catalogued asset was registered',
  })
  @ApiOkResponse({ type: OverdueHolderListResponse })
  async overdue(): Promise<OverdueHolderListResponse> {
    return { items: (await this.reports.overdueNow()).map(overdueView) };
  }

  @Post()
  @Roles('merchant', 'buyer')
  @ApiOperation({
    summary:
      'File a risk assessment report (DS 60) for your organisation; kept for good (at least three years); a ' +
      'correction names the report it supersedes',
  })
  @ApiCreatedResponse({ type: FiledRiskReportResponse })
  async file(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FileRiskReportDto,
  ): Promise<FiledRiskReportResponse> {
    return filedRiskReportView(
      await this.reports.file(principal, {
        periodYear: body.periodYear,
        assessorKind: body.assessorKind,
        assessorName: body.assessorName ?? null,
        assessorCreditCode: body.assessorCreditCode ?? null,
        importantData: body.importantData.map((l) => ({
          assetId: l.assetId,
          category: l.category,
          level: l.level,
          amount: l.amount,
        })),
        processingActivities: body.processingActivities,
        risks: body.risks.map((r) => ({ risk: r.risk, measure: r.measure, effectiveness: r.effectiveness })),
        conclusion: body.conclusion,
        supersedesId: body.supersedesId ?? null,
      }),
    );
  }

  @Get()
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'Risk reports, newest first, paged: a holder sees its own; the operator and regulators all, by ' +
      'organisationId and year',
  })
  @ApiOkResponse({ type: RiskReportPageResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RiskReportQueryDto,
  ): Promise<RiskReportPageResponse> {
    const page = await this.reports.list(principal, {
      organisationId: query.organisationId,
      year: query.year,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { items: page.reports.map(riskReportView), next: page.next };
  }

  @Get(':id')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary: 'A risk report: to its holder, the operator and regulators; with its successor if any',
  })
  @ApiOkResponse({ type: RiskReportDetailResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<RiskReportDetailResponse> {
    const { report, supersededBy } = await this.reports.get(principal, id);
    return { ...riskReportView(report), supersededBy };
  }
}
