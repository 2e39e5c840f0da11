import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { ImportantDataCatalogue } from '@app/assets';
import type { DataLevel } from '@app/compliance';
import { Clock } from '@app/core';
import { UnitOfWork, sqlKindOf } from '@app/database';
import { Organisation } from '@app/identity';
import { Contract, Dispute, fundingHolds, isMetered, pendingUnitHolds } from '@app/trading';
import { IncidentService } from '../incidents/incident.service.js';
import { RiskReportService } from '../risk-reports/risk-report.service.js';
import type {
  CatalogueEntry,
  DisputeFigures,
  EpsilonRow,
  IncidentFigures,
  ListingCountRow,
  OverdueFigures,
  SuspensionRow,
  TradeFigures,
} from './supervision.figures.js';
import { countOf, periodBucket, timestampOf, type SupervisionPeriod } from './supervision-sql.js';
import { supervisionWindow } from './supervision-window.js';

export interface WindowAsk {
  from?: Date;
  to?: Date;
  period?: SupervisionPeriod;
}

/** A row read by raw SQL. */
type Row = Record<string, string | number | bigint | Date | null>;

/**
 * The regulators' figures of the market (DS 58, 59; DE 58): what trades, what is listed, disputed, suspended,
 * overdue, which important data is held where, and how much privacy budget each dataset spent. Every figure is
 * counted by the database (GROUP BY over bound parameters), so it answers in one or two statements however many
 * trades there are. Read-only: nothing here writes or goes on the ledger.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly riskReports: RiskReportService,
    private readonly catalogue: ImportantDataCatalogue,
  ) {}

  /**
   * Trades by period, industry and level: a trade is a contract funded within the window (`fundedAt`), its
   * industry its listing's (the listing's first asset's), its level the contract's (fixed when it formed), its
   * volume what the buyer paid into escrow.
   */
  async trades(ask: WindowAsk): Promise<TradeFigures> {
    const window = supervisionWindow(this.clock.now(), ask);
    const rows = await this.uow.read(async (em) => {
      const bucket = periodBucket(sqlKindOf(em), 'c."funded_at"', window.period);
      // Counted per listing first (an index-only range scan of `contracts_funded_index`), then the few groups
      // joined to their listings: joining every contract to its listing made the planners walk the listings.
      return em.getConnection().execute<Row[]>(
        `select g."period", l."industry", g."level", sum(g."trades") as "trades",
           cast(sum(g."volume_fen") as text) as "volume_fen"
         from (select ${bucket} as "period", c."listing_id", c."level", count(*) as "trades",
                 sum(c."amount_fen") as "volume_fen"
               from "contracts" c where c."funded_at" >= ? and c."funded_at" < ?
               group by 1, 2, 3) g
           join "listings" l on l."id" = g."listing_id"
         group by 1, 2, 3 order by 1, 2, 3`,
        [window.from, window.to],
      );
    });
    const out = rows.map((r) => ({
      period: String(r.period),
      industry: String(r.industry),
      level: r.level as DataLevel,
      trades: countOf(r.trades),
      volumeFen: BigInt(String(r.volume_fen ?? '0')),
    }));
    return {
      window,
      rows: out,
      totals: {
        trades: out.reduce((sum, r) => sum + r.trades, 0),
        volumeFen: out.reduce((sum, r) => sum + r.volumeFen, 0n),
      },
    };
  }

  /** Listings by level, pricing mode and status, every status included. */
  async listings(): Promise<ListingCountRow[]> {
    const rows = await this.uow.read((em) =>
      em.getConnection().execute<Row[]>(
        `select "level", "pricing_mode", "status", count(*) as "listings" from "listings"
         group by 1, 2, 3 order by 1, 2, 3`,
      ),
    );
    return rows.map((r) => ({
      level: String(r.level),
      pricingMode: String(r.pricing_mode),
      status: String(r.status),
      listings: countOf(r.listings),
    }));
  }

  /**
   * Open disputes (how many, the escrow they freeze, the oldest) and the disputes decided within the window by
   * outcome. The frozen amount is what a decision would move: the whole escrow, or a per-computation contract's
   * units not yet released.
   */
  async disputes(ask: WindowAsk): Promise<DisputeFigures> {
    const window = supervisionWindow(this.clock.now(), ask);
    return this.uow.read(async (em) => {
      const connection = em.getConnection();
      const [open] = await connection.execute<Row[]>(
        `select count(*) as "open", min("created_at") as "oldest" from "disputes" where "state" = 'open'`,
      );
      const decided = await connection.execute<Row[]>(
        `select "outcome", count(*) as "disputes" from "disputes"
         where "state" = 'decided' and "decided_at" >= ? and "decided_at" < ?
         group by "outcome" order by "outcome"`,
        [window.from, window.to],
      );
      return {
        window,
        open: {
          count: countOf(open?.open),
          frozenFen: await SupervisionService.frozen(em),
          oldestOpenedAt: timestampOf(open?.oldest),
        },
        decided: decided.map((r) => ({ outcome: String(r.outcome), disputes: countOf(r.disputes) })),
      };
    });
  }

  private static async frozen(em: EntityManager): Promise<bigint> {
    const contracts = await em.find(
      Contract,
      {
        id: {
          $in: em.createQueryBuilder(Dispute, 'd').select('d.contractId').where({ state: 'open' }),
        },
      },
      { fields: ['id', 'terms', 'amountFen', 'computationsUsed'] },
    );
    let sum = 0n;
    for (const c of contracts)
      for (const hold of isMetered(c) ? pendingUnitHolds(c) : fundingHolds(c)) sum += hold.amount;
    return sum;
  }

  /** Incidents by level and state, and how many closing summaries are past due now (DS 16). */
  async incidentFigures(): Promise<IncidentFigures> {
    const rows = await this.uow.read((em) =>
      em
        .getConnection()
        .execute<Row[]>(
          `select "level", "state", count(*) as "incidents" from "incidents" group by 1, 2 order by 1, 2`,
        ),
    );
    const overdue = await this.incidents.overdueSummaries(this.clock.now());
    return {
      rows: rows.map((r) => ({
        level: countOf(r.level),
        state: String(r.state),
        incidents: countOf(r.incidents),
      })),
      overdueSummaries: overdue.length,
    };
  }

  /** The closing summaries (DS 16) and yearly risk reports (DS 63) past due now. */
  async overdue(): Promise<OverdueFigures> {
    const now = this.clock.now();
    const [summaries, riskReports] = await Promise.all([
      this.incidents.overdueSummaries(now),
      this.riskReports.overdue(now),
    ]);
    return { summaries, riskReports };
  }

  /** Suspended listings, contracts and organisations, the latest first within each kind. */
  async suspensions(): Promise<SuspensionRow[]> {
    const rows = await this.uow.read(async (em) => {
      const connection = em.getConnection();
      const listings = await connection.execute<Row[]>(
        `select "id", "title" as "name", "organisation_id", "status_reason" as "reason", "updated_at" as "since"
         from "listings" where "status" = 'suspended' order by "updated_at" desc, "id"`,
      );
      const contracts = await connection.execute<Row[]>(
        `select c."id", l."title" as "name", c."merchant_organisation_id" as "organisation_id",
           c."suspension_reason" as "reason", c."updated_at" as "since"
         from "contracts" c join "listings" l on l."id" = c."listing_id"
         where c."state" = 'suspended' order by c."updated_at" desc, c."id"`,
      );
      const organisations = await connection.execute<Row[]>(
        `select "id", "name", "id" as "organisation_id", "status_reason" as "reason", "updated_at" as "since"
         from "organisations" where "status" = 'suspended' order by "updated_at" desc, "id"`,
      );
      return [
        ...listings.map((r) => ({ kind: 'listing' as const, r })),
        ...contracts.map((r) => ({ kind: 'contract' as const, r })),
        ...organisations.map((r) => ({ kind: 'organisation' as const, r })),
      ];
    });
    return rows.map(({ kind, r }) => ({
      kind,
      id: String(r.id),
      name: String(r.name),
      organisationId: r.organisation_id === null ? null : String(r.organisation_id),
      reason: r.reason === null || r.reason === undefined ? null : String(r.reason),
      since: timestampOf(r.since)!,
    }));
  }

  /**
   * The DS 22 catalogue of every organisation holding important or core data (`ImportantDataCatalogue`, read in one
   * pass for all). Organisations by name, assets by registration.
   */
  async importantData(): Promise<CatalogueEntry[]> {
    return this.uow.read(async (em) => {
      const byOrganisation = new Map(
        [...(await this.catalogue.ofEveryOrganisation(em))].map(([organisationId, assets]) => [
          organisationId,
          assets.map((a) => ({
            assetId: a.id,
            title: a.title,
            level: a.level,
            registrationNumber: a.registrationNumber ?? null,
          })),
        ]),
      );
      const organisations = await em.find(
        Organisation,
        { id: { $in: [...byOrganisation.keys()] } },
        { fields: ['id', 'name'] },
      );
      return organisations
        .map((o) => ({ organisationId: o.id, organisationName: o.name, assets: byOrganisation.get(o.id)! }))
        .sort(
          (x, y) =>
            x.organisationName.localeCompare(y.organisationName) ||
            x.organisationId.localeCompare(y.organisationId),
        );
    });
  }

  /** The differential-privacy budget spent per dataset: its released computations and the ε they spent. */
  async epsilon(): Promise<EpsilonRow[]> {
    const rows = await this.uow.read((em) =>
      em.getConnection().execute<Row[]>(
        `select cp."dataset_id", d."asset_id", a."title", count(*) as "released",
           sum(coalesce(cp."epsilon_spent_milli", 0)) as "spent"
         from "computations" cp
           join "datasets" d on d."id" = cp."dataset_id"
           join "assets" a on a."id" = d."asset_id"
         where cp."state" = 'released'
         group by cp."dataset_id", d."asset_id", a."title"
         order by 5 desc, 1`,
      ),
    );
    return rows.map((r) => ({
      datasetId: String(r.dataset_id),
      assetId: String(r.asset_id),
      assetTitle: String(r.title),
      releasedComputations: countOf(r.released),
      epsilonSpentMilli: countOf(r.spent),
    }));
  }
}

// What the controller needs besides the service, through the one line `libs/oversight/src/index.ts` has for us.
export * from './supervision-sql.js';
export * from './supervision-window.js';
export type * from './supervision.figures.js';
