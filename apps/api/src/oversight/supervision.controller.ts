import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SupervisionService, toCsv, type WindowAsk } from '@app/oversight';
import { Roles } from '../http/access.decorators.js';
import { SupervisionFormatDto, SupervisionWindowDto, type SupervisionFormat } from './supervision.dto.js';
import {
  DisputeFiguresResponse,
  EpsilonResponse,
  ImportantDataResponse,
  IncidentFiguresResponse,
  ListingFiguresResponse,
  OverdueResponse,
  SuspensionsResponse,
  TradesResponse,
  catalogueCsvRows,
  disputeCsvRows,
  disputesView,
  epsilonView,
  importantDataView,
  incidentsView,
  listingsView,
  overdueCsvRows,
  overdueView,
  suspensionsView,
  tradesView,
} from './supervision.response.js';

const windowOf = (q: SupervisionWindowDto): WindowAsk => ({
  from: q.from === undefined ? undefined : new Date(q.from),
  to: q.to === undefined ? undefined : new Date(q.to),
  period: q.period,
});

/**
 * The regulators' and operator's view of the market (DS 58, 59; DE 58): read-only figures for the console's charts,
 * each as JSON or, with `?format=csv`, as CSV with the same rows.
 */
@ApiTags('supervision')
@Controller('v1/supervision')
@ApiProduces('application/json', 'text/csv')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  /** The JSON answer, or its rows as CSV (`text/csv; charset=utf-8`, offered as a download named after the figure). */
  private static answer<T>(
    reply: FastifyReply,
    format: SupervisionFormat | undefined,
    name: string,
    json: T,
    csv: (json: T) => string,
  ): T | string {
    if (format !== 'csv') return json;
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="supervision-${name}.csv"`);
    return csv(json);
  }

  @Get('trades')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: trades (funded contracts) and their volume by period, industry and level, with ' +
      'totals; default the last 12 months by month',
  })
  @ApiOkResponse({ type: TradesResponse })
  async trades(
    @Query() query: SupervisionWindowDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TradesResponse | string> {
    const view = tradesView(await this.supervision.trades(windowOf(query)));
    return SupervisionController.answer(reply, query.format, 'trades', view, (v) =>
      toCsv(['period', 'industry', 'level', 'trades', 'volumeFen'], v.rows),
    );
  }

  @Get('listings')
  @Roles('regulator', 'operator')
  @ApiOperation({ summary: 'Regulator, operator: listings counted by level, pricing mode and status' })
  @ApiOkResponse({ type: ListingFiguresResponse })
  async listings(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ListingFiguresResponse | string> {
    const view = listingsView(await this.supervision.listings());
    return SupervisionController.answer(reply, query.format, 'listings', view, (v) =>
      toCsv(['level', 'pricingMode', 'status', 'listings'], v.rows),
    );
  }

  @Get('disputes')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: open disputes (count, frozen escrow, oldest) and those decided in the window by ' +
      'outcome; CSV: the open row, then one row per outcome',
  })
  @ApiOkResponse({ type: DisputeFiguresResponse })
  async disputes(
    @Query() query: SupervisionWindowDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DisputeFiguresResponse | string> {
    const view = disputesView(await this.supervision.disputes(windowOf(query)));
    return SupervisionController.answer(reply, query.format, 'disputes', view, (v) =>
      toCsv(['figure', 'outcome', 'disputes', 'frozenFen', 'oldestOpenedAt'], disputeCsvRows(v)),
    );
  }

  @Get('incidents')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: incidents by level and state, and the closing summaries past due (CSV: the rows)',
  })
  @ApiOkResponse({ type: IncidentFiguresResponse })
  async incidents(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentFiguresResponse | string> {
    const view = incidentsView(await this.supervision.incidentFigures());
    return SupervisionController.answer(reply, query.format, 'incidents', view, (v) =>
      toCsv(['level', 'state', 'incidents'], v.rows),
    );
  }

  @Get('overdue')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: incident closing summaries (DS 16) and yearly risk reports (DS 63) past due; CSV: ' +
      'one row per item with a kind column',
  })
  @ApiOkResponse({ type: OverdueResponse })
  async overdue(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OverdueResponse | string> {
    const view = overdueView(await this.supervision.overdue());
    return SupervisionController.answer(reply, query.format, 'overdue', view, (v) =>
      toCsv(
        [
          'kind',
          'organisationId',
          'organisationName',
          'incidentId',
          'title',
          'level',
          'reportedAt',
          'lastFiledAt',
          'dueAt',
          'importantAssets',
        ],
        overdueCsvRows(v),
      ),
    );
  }

  @Get('suspensions')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: suspended listings, contracts and organisations, with reason and since when',
  })
  @ApiOkResponse({ type: SuspensionsResponse })
  async suspensions(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuspensionsResponse | string> {
    const view = suspensionsView(await this.supervision.suspensions());
    return SupervisionController.answer(reply, query.format, 'suspensions', view, (v) =>
      toCsv(['kind', 'id', 'name', 'organisationId', 'reason', 'since'], v.items),
    );
  }

  @Get('important-data')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary:
      'Regulator, operator: the important and core data catalogue (DS 22) of every organisation holding some; ' +
      'CSV: one row per organisation and asset',
  })
  @ApiOkResponse({ type: ImportantDataResponse })
  async importantData(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportantDataResponse | string> {
    const view = importantDataView(await this.supervision.importantData());
    return SupervisionController.answer(reply, query.format, 'important-data', view, (v) =>
      toCsv(
        ['organisationId', 'organisationName', 'assetId', 'title', 'level', 'registrationNumber'],
        catalogueCsvRows(v),
      ),
    );
  }

  @Get('epsilon')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary: 'Regulator, operator: the differential-privacy ε spent per dataset by its released computations',
  })
  @ApiOkResponse({ type: EpsilonResponse })
  async epsilon(
    @Query() query: SupervisionFormatDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EpsilonResponse | string> {
    const view = epsilonView(await this.supervision.epsilon());
    return SupervisionController.answer(reply, query.format, 'epsilon', view, (v) =>
      toCsv(['datasetId', 'assetId', 'assetTitle', 'releasedComputations', 'epsilonSpentMilli'], v.rows),
    );
  }
}
