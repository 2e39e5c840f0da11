import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Asset, ImportantDataCatalogue } from '@app/assets';
import { Clock, Conflict, NotFound, ValidationFailed, newId } from '@app/core';
import { UnitOfWork, keysetPageOn } from '@app/database';
import { Organisation, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { isOverdue, retainedUntil, riskReportDueAt } from '../core/deadlines.js';
import { RiskReport, type ImportantDataLine } from '../entities/risk-report.entity.js';
import { checkRiskReport, riskReportSha256, type RiskReportInput } from './risk-report-content.js';
import { holdingOf, lastFiledByOrganisation, lastFiledOf, type Holding } from './risk-report-schedule.js';

/** A holder of important or core data whose yearly risk report (DS 63) is past due. */
export interface OverdueHolder {
  organisationId: string;
  organisationName: string;
  /** Its latest report, or null when it never filed one. */
  lastFiledAt: Date | null;
  dueAt: Date;
  /** How many important or core assets its catalogue lists (DS 22). */
  importantAssets: number;
}

/** A report to start from: the DS 22 catalogue's lines, the year and the deadline; the rest is the holder's. */
export interface RiskReportDraft {
  organisationId: string;
  periodYear: number;
  /** When its next report is due; null when it holds no important or core data. */
  dueAt: Date | null;
  importantData: ImportantDataLine[];
  note: string | null;
  advice: string | null;
}

export interface FiledRiskReport {
  report: RiskReport;
  /** DS 65 advice when a core-data holder assessed itself: accepted, a third party is preferred. */
  advice: string | null;
}

export interface RiskReportWithSuccessor {
  report: RiskReport;
  /** The later report that replaced it, or null. */
  supersededBy: string | null;
}

/** Reports are positioned by when they were filed. */
const byFiledAt = keysetPageOn('filedAt', 'id');

const NOT_OBLIGED =
  'DS 63: your catalogue holds no important or core data, so no yearly risk assessment report is required; ' +
  'you may still file one';
const CORE_ADVICE =
  'DS 65: you hold core data, for which an assessment by a third-party assessor is preferred; ' +
  'this self-assessment is accepted';

/**
 * Risk assessment reports (DS 60, 63, 65): a holder of important or core data files one at least yearly, by itself
 * or a third-party assessor; the report is append-only and kept at least three years (here for good); a correction
 * is a new report superseding the old one, once. Holders see their own, the operator and regulators all, and
 * regulators see who is overdue.
 */
@Injectable()
export class RiskReportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly catalogue: ImportantDataCatalogue,
  ) {}

  /** The caller's report prefilled from its important-data catalogue (DS 22): one line per asset. */
  async draft(principal: Principal): Promise<RiskReportDraft> {
    const now = this.clock.now();
    return this.uow.read(async (em) => {
      const assets = await this.catalogue.of(em, principal.organisationId);
      const holding = holdingOf(assets);
      const last = holding ? await lastFiledOf(em, principal.organisationId) : null;
      return {
        organisationId: principal.organisationId,
        periodYear: now.getUTCFullYear(),
        dueAt: holding ? riskReportDueAt(last ?? holding.firstHeldAt) : null,
        importantData: assets.map(lineOf),
        note: holding ? null : NOT_OBLIGED,
        advice: holding?.holdsCore ? CORE_ADVICE : null,
      };
    });
  }

  /**
   * Files a report for the caller's organisation. The lines that name an asset name one of its catalogue; a
   * superseded report must be its own (else 404) and not superseded already (409, also when two race: the unique
   * index on `supersedes_id` decides). The report and `riskReport.filed` commit together.
   */
  async file(principal: Principal, input: RiskReportInput): Promise<FiledRiskReport> {
    const now = this.clock.now();
    checkRiskReport(input, now);
    const organisationId = principal.organisationId;
    try {
      return await this.uow.run(async (em) => {
        const holding = await this.checkLines(em, organisationId, input.importantData);
        if (input.supersedesId !== null) await this.checkSupersedable(em, organisationId, input.supersedesId);
        const contentSha256 = riskReportSha256({ ...input, organisationId });
        const report = em.create(RiskReport, {
          id: newId(),
          organisationId,
          filedByAccountId: principal.accountId,
          ...input,
          contentSha256,
          filedAt: now,
          retainUntil: retainedUntil(now),
        });
        await em.flush();
        await this.ledger.record(em, [
          {
            actor: { accountId: principal.accountId, organisationId },
            action: 'riskReport.filed',
            subjectIds: [report.id, organisationId],
            payload: {
              periodYear: input.periodYear,
              assessorKind: input.assessorKind,
              contentSha256,
              importantDataLines: input.importantData.length,
              risks: input.risks.length,
              supersedesId: input.supersedesId,
            },
          },
        ]);
        const advice = holding?.holdsCore && input.assessorKind === 'self' ? CORE_ADVICE : null;
        return { report, advice };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw RiskReportService.supersededAlready();
      throw error;
    }
  }

  /** A report to its holder, the operator and regulators; anyone else is told it does not exist. */
  async get(principal: Principal, id: string): Promise<RiskReportWithSuccessor> {
    return this.uow.read(async (em) => {
      const report = await em.findOne(RiskReport, {
        id,
        ...(isOverseer(principal) ? {} : { organisationId: principal.organisationId }),
      });
      if (!report) throw new NotFound('risk report');
      const successor = await em.findOne(RiskReport, { supersedesId: id }, { fields: ['id'] });
      return { report, supersededBy: successor?.id ?? null };
    });
  }

  /** Reports newest first, a page at a time: a holder its own, the overseers all (optionally of one organisation). */
  async list(
    principal: Principal,
    filter: { organisationId?: string; year?: number; after?: string; limit: number },
  ): Promise<{ reports: RiskReport[]; next: string | null }> {
    const organisationId = isOverseer(principal) ? filter.organisationId : principal.organisationId;
    return this.uow.read(async (em) => {
      const rows = await em.find(
        RiskReport,
        {
          ...byFiledAt.after(filter.after),
          ...(organisationId !== undefined ? { organisationId } : {}),
          ...(filter.year !== undefined ? { periodYear: filter.year } : {}),
        },
        byFiledAt.options(filter.limit),
      );
      const { rows: reports, next } = byFiledAt.cut(rows, filter.limit);
      return { reports, next };
    });
  }

  /** The overdue holders at the clock's now. */
  overdueNow(): Promise<OverdueHolder[]> {
    return this.overdue(this.clock.now());
  }

  /**
   * The holders of important or core data whose next report was due before `now`, most overdue first: due a year
   * (DS 63) after the last report, or after the first catalogued asset's registration when none was filed. Three
   * statements, whatever the number of organisations.
   */
  async overdue(now: Date): Promise<OverdueHolder[]> {
    return this.uow.read(async (em) => {
      const holdings = new Map(
        [...(await this.catalogue.ofEveryOrganisation(em))].map(([id, assets]) => [id, holdingOf(assets)!]),
      );
      if (holdings.size === 0) return [];
      const lastFiled = await lastFiledByOrganisation(em);
      const late = [...holdings]
        .map(([organisationId, holding]) => RiskReportService.schedule(organisationId, holding, lastFiled))
        .filter((h) => isOverdue(h.dueAt, false, now));
      if (late.length === 0) return [];
      const names = new Map(
        (
          await em.find(
            Organisation,
            { id: { $in: late.map((h) => h.organisationId) } },
            { fields: ['id', 'name'] },
          )
        ).map((o) => [o.id, o.name]),
      );
      return late
        .map((h) => ({ ...h, organisationName: names.get(h.organisationId) ?? '' }))
        .sort(
          (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.organisationId.localeCompare(b.organisationId),
        );
    });
  }

  private static schedule(
    organisationId: string,
    holding: Holding,
    lastFiled: Map<string, Date>,
  ): Omit<OverdueHolder, 'organisationName'> {
    const lastFiledAt = lastFiled.get(organisationId) ?? null;
    return {
      organisationId,
      lastFiledAt,
      dueAt: riskReportDueAt(lastFiledAt ?? holding.firstHeldAt),
      importantAssets: holding.importantAssets,
    };
  }

  /** Lines naming an asset name one of the organisation's catalogue; returns its holding. */
  private async checkLines(
    em: EntityManager,
    organisationId: string,
    lines: readonly ImportantDataLine[],
  ): Promise<Holding | null> {
    const assets = await this.catalogue.of(em, organisationId);
    const catalogued = new Set(assets.map((a) => a.id));
    const stray = lines.find((l) => l.assetId !== null && !catalogued.has(l.assetId));
    if (stray)
      throw new ValidationFailed(
        `importantData names asset ${stray.assetId}, which is not in your important-data catalogue (DS 22); ` +
          'give assetId null for data not registered here',
        'asset_not_catalogued',
      );
    return holdingOf(assets);
  }

  private async checkSupersedable(
    em: EntityManager,
    organisationId: string,
    supersedesId: string,
  ): Promise<void> {
    const prior = await em.findOne(RiskReport, { id: supersedesId, organisationId }, { fields: ['id'] });
    if (!prior) throw new NotFound('risk report');
    const successor = await em.findOne(RiskReport, { supersedesId }, { fields: ['id'] });
    if (successor) throw RiskReportService.supersededAlready(successor.id);
  }

  private static supersededAlready(by?: string): Conflict {
    return new Conflict(
      `that report was superseded already${by ? ` by ${by}` : ''}; supersede the latest report instead`,
      'risk_report_superseded',
    );
  }
}

/** A catalogue asset as a report line: its industry and title, level and registered row count. */
const lineOf = (a: Asset): ImportantDataLine => ({
  assetId: a.id,
  category: `${a.industry}: ${a.title}`,
  level: a.level === 'core' ? 'core' : 'important',
  amount: `${a.rowCount} rows`,
});

export * from './risk-report-content.js';
