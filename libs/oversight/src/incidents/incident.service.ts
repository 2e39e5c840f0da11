import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import {
  gradeIncident,
  needsClosingSummary,
  reportableToRegulator,
  type IncidentImportance,
  type IncidentLevel,
  type IncidentSeverity,
} from '@app/compliance';
import { Clock, Conflict, Forbidden, NotFound, RuleRefused, ValidationFailed, newId } from '@app/core';
import { UnitOfWork, keysetPageOn } from '@app/database';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder, SYSTEM_ACTOR } from '@app/ledger';
import { INCIDENT_TRANSITIONS, summaryDueAt, type IncidentState, type IncidentStep } from '../core/index.js';
import { Incident, IncidentNotice } from '../entities/index.js';
import { decideImportance } from './incident-importance.js';
import { affectedAssets, affectedParties } from './incident-parties.js';
import { yearBounds, yearlyReport, type YearlyReport } from './incident-yearly-report.js';

// The report's shape and its CSV, for the API (the lib's index exports this file).
export {
  YEARLY_REPORT_CSV_COLUMNS,
  yearlyReportCsv,
  type YearlyReport,
  type YearlyReportLine,
} from './incident-yearly-report.js';

/** An incident whose DS 16 closing summary is past due. */
export interface OverdueSummary {
  incidentId: string;
  organisationId: string;
  title: string;
  level: IncidentLevel;
  reportedAt: Date;
  summaryDueAt: Date;
}

export const MAX_AFFECTED_ASSETS = 100;

export interface NewIncident {
  title: string;
  description: string;
  occurredAt: Date;
  affectedAssetIds: string[];
  importance?: IncidentImportance;
  businessLoss: IncidentSeverity;
  socialHarm: IncidentSeverity;
  measures: string;
}

export interface IncidentFilter {
  state?: IncidentState;
  level?: IncidentLevel;
  overdue?: boolean;
  after?: string;
  limit: number;
}

/** An incident as one caller may see it: with the caller's own notice when it was told of it (DS 16). */
export interface SeenIncident {
  incident: Incident;
  notice: IncidentNotice | null;
}

const byReportedAt = keysetPageOn('reportedAt', 'id');
const byNotifiedAt = keysetPageOn('notifiedAt', 'incidentId');
/** How many overdue incidents one sweep flags; the next sweep takes the rest. */
const FLAG_BATCH = 500;

/** Which articles sent an incident to the regulators at once: DS 15 for level 3 or above, DS 16 for important data. */
export const regulatorArticles = (level: IncidentLevel, importance: IncidentImportance): string[] => [
  ...(reportableToRegulator(level) ? ['DS 15'] : []),
  ...(needsClosingSummary(importance) ? ['DS 16'] : []),
];

/**
 * Security incidents (DS 12, 15, 16, 18). A party or the operator reports one; the level follows from 表2 and 表3
 * (`gradeIncident`); level 3 or above (DS 15) or important or core data (DS 16) reaches the regulators at once, and the
 * latter owes a closing summary within a week, flagged overdue by the heartbeat after that. The parties whose
 * contracts touch the affected assets, and the assets' rights holders, are told in the same transaction (DS 16).
 * The reporter, the parties told and the overseers see an incident; anyone else is told it does not exist.
 */
@Injectable()
export class IncidentService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  /**
   * Files, grades and routes an incident: `incident.reported` and, when anyone was told, `incident.partiesNotified`
   * commit with it. 404 for an asset the reporter may not name; 422 (DS 12) for a '/' combination of 表3 or an
   * importance below the assets'; 400 when neither assets nor an importance are given.
   */
  async report(principal: Principal, input: NewIncident): Promise<SeenIncident> {
    const now = this.clock.now();
    IncidentService.check(input, now);
    const assetIds = [...new Set(input.affectedAssetIds)];
    return this.uow.run(async (em) => {
      const assets = await affectedAssets(em, principal, assetIds);
      const { importance, source } = decideImportance(assets, input.importance);
      const grading = gradeIncident(importance, input.businessLoss, input.socialHarm);
      if (!grading.ok) throw new RuleRefused('DS 12', grading.code, grading.reason.replace(/^DS 12 /, ''));
      const articles = regulatorArticles(grading.level, importance);
      const incident = em.create(Incident, {
        id: newId(),
        reportedByOrganisationId: principal.organisationId,
        reportedByAccountId: principal.accountId,
        title: input.title.trim(),
        description: input.description,
        occurredAt: input.occurredAt,
        affectedAssetIds: assetIds,
        importance,
        importanceSource: source,
        businessLoss: input.businessLoss,
        socialHarm: input.socialHarm,
        level: grading.level,
        levelJustification: grading.justification,
        measures: input.measures,
        state: 'reported',
        regulatorNotifiedAt: articles.length > 0 ? now : null,
        summaryDueAt: needsClosingSummary(importance) ? summaryDueAt(now) : null,
        overdueFlaggedAt: null,
        summary: null,
        acknowledgedByAccountId: null,
        acknowledgedAt: null,
        containedAt: null,
        closedByAccountId: null,
        closedAt: null,
        reportedAt: now,
        updatedAt: now,
      });
      // Flushed on its own first: the ORM knows no relation that would order the notices' inserts after it.
      await em.flush();
      const parties = await affectedParties(em, assets, input.occurredAt, principal.organisationId);
      for (const party of parties)
        em.create(IncidentNotice, {
          incidentId: incident.id,
          organisationId: party.organisationId,
          contractIds: party.contractIds,
          notifiedAt: now,
          readAt: null,
        });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'incident.reported',
          subjectIds: [incident.id, principal.organisationId, ...assetIds],
          payload: {
            title: incident.title,
            occurredAt: input.occurredAt.toISOString(),
            affectedAssetIds: assetIds,
            importance,
            importanceSource: source,
            businessLoss: input.businessLoss,
            socialHarm: input.socialHarm,
            level: grading.level,
            decidedBy: grading.decidedBy,
            byBusinessLoss: grading.byBusinessLoss,
            bySocialHarm: grading.bySocialHarm,
            justification: grading.justification,
            sentToRegulatorsBy: articles,
            summaryDueAt: incident.summaryDueAt?.toISOString() ?? null,
          },
        },
        ...(parties.length === 0
          ? []
          : [
              {
                actor: actorOf(principal),
                action: 'incident.partiesNotified',
                subjectIds: [incident.id, ...parties.map((p) => p.organisationId)],
                payload: {
                  article: 'DS 16',
                  level: grading.level,
                  measures: input.measures,
                  parties: parties.map((p) => ({
                    organisationId: p.organisationId,
                    contractIds: p.contractIds,
                  })),
                },
              },
            ]),
      ]);
      return { incident, notice: null };
    });
  }

  /** An incident for the reporter, a party told of it (with its notice) and the overseers; 404 for anyone else. */
  async get(principal: Principal, id: string): Promise<SeenIncident> {
    return this.uow.read((em) => this.seen(em, principal, id));
  }

  /** Incidents newest first: a party sees those it reported, the overseers all. */
  async list(
    principal: Principal,
    filter: IncidentFilter,
  ): Promise<{ incidents: Incident[]; next: string | null }> {
    const now = this.clock.now();
    const where: object[] = [byReportedAt.after(filter.after)];
    if (!isOverseer(principal)) where.push({ reportedByOrganisationId: principal.organisationId });
    if (filter.state) where.push({ state: filter.state });
    if (filter.level) where.push({ level: filter.level });
    if (filter.overdue === true) where.push({ summaryDueAt: { $lt: now }, state: { $ne: 'closed' } });
    if (filter.overdue === false)
      where.push({ $or: [{ summaryDueAt: null }, { summaryDueAt: { $gte: now } }, { state: 'closed' }] });
    return this.uow.read(async (em) => {
      const rows = await em.find(Incident, { $and: where }, byReportedAt.options(filter.limit));
      const { rows: incidents, next } = byReportedAt.cut(rows, filter.limit);
      return { incidents, next };
    });
  }

  /** The incidents the caller's organisation was told of (DS 16), newest notice first, each with its notice. */
  async notices(
    principal: Principal,
    page: { after?: string; limit: number },
  ): Promise<{ items: { incident: Incident; notice: IncidentNotice }[]; next: string | null }> {
    return this.uow.read(async (em) => {
      const rows = await em.find(
        IncidentNotice,
        { $and: [{ organisationId: principal.organisationId }, byNotifiedAt.after(page.after)] },
        byNotifiedAt.options(page.limit),
      );
      const { rows: notices, next } = byNotifiedAt.cut(rows, page.limit);
      const incidents = await em.find(Incident, { id: { $in: notices.map((n) => n.incidentId) } });
      const byId = new Map(incidents.map((i) => [i.id, i]));
      return { items: notices.map((notice) => ({ incident: byId.get(notice.incidentId)!, notice })), next };
    });
  }

  /**
   * The caller's organisation confirms it read its notice of incident `id` (DS 16: the affected party has been
   * told). The first confirmation sets `readAt` by a conditional update and writes `incident.noticeRead`; a later one
   * changes nothing. No notice for the caller's organisation: 404.
   */
  async readNotice(
    principal: Principal,
    id: string,
  ): Promise<{ incident: Incident; notice: IncidentNotice }> {
    return this.uow.run(async (em) => {
      const key = { incidentId: id, organisationId: principal.organisationId };
      const now = this.clock.now();
      const moved = await em.nativeUpdate(IncidentNotice, { ...key, readAt: null }, { readAt: now });
      const notice = await em.findOne(IncidentNotice, key, { refresh: true });
      if (!notice) throw new NotFound('incident notice');
      const incident = await em.findOneOrFail(Incident, { id });
      if (moved === 1)
        await this.ledger.record(em, [
          {
            actor: actorOf(principal),
            action: 'incident.noticeRead',
            subjectIds: [id, principal.organisationId],
            payload: { incidentId: id, organisationId: principal.organisationId },
          },
        ]);
      return { incident, notice };
    });
  }

  /** Overseers: every organisation told of incident `id` (DS 16), with when it was told and when it read it. */
  async noticesOf(principal: Principal, id: string): Promise<IncidentNotice[]> {
    if (!isOverseer(principal)) throw new NotFound('incident');
    return this.uow.read(async (em) => {
      if (!(await em.findOne(Incident, { id }, { fields: ['id'] }))) throw new NotFound('incident');
      return em.find(IncidentNotice, { incidentId: id }, { orderBy: { organisationId: 'asc' } });
    });
  }

  /** A regulator or the operator takes the incident up: `reported → acknowledged`. */
  acknowledge(principal: Principal, id: string): Promise<SeenIncident> {
    const now = this.clock.now();
    return this.step(
      principal,
      id,
      'acknowledge',
      { acknowledgedByAccountId: principal.accountId, acknowledgedAt: now },
      {},
    );
  }

  /** The reporter (or the operator) says the harm is stopped: `reported | acknowledged → contained`. */
  contain(principal: Principal, id: string, note: string): Promise<SeenIncident> {
    if (note.trim() === '')
      throw new ValidationFailed('say how the harm was stopped (note)', 'note_required');
    return this.step(principal, id, 'contain', { containedAt: this.clock.now() }, { note });
  }

  /**
   * The reporter (or the operator) closes the incident with its summary report (DS 16, within a week for important
   * or core data). Closing after the week is allowed and recorded `late: true`.
   */
  close(principal: Principal, id: string, summary: string): Promise<SeenIncident> {
    if (summary.trim() === '')
      throw new ValidationFailed('a closure gives the summary report (summary)', 'summary_required');
    const now = this.clock.now();
    return this.step(
      principal,
      id,
      'close',
      { summary, closedByAccountId: principal.accountId, closedAt: now },
      { summary },
      (incident) => ({
        late: incident.summaryDueAt != null && now.getTime() > incident.summaryDueAt.getTime(),
      }),
    );
  }

  /**
   * Flags, once each, the closing summaries past due at `now` (DS 16): a conditional update on `overdueFlaggedAt`
   * and `incident.summaryOverdue` in one transaction per incident, so parallel sweeps flag each once. Returns how
   * many it flagged.
   */
  async flagOverdue(now: Date): Promise<number> {
    const due = await this.uow.read((em) =>
      em.find(
        Incident,
        { summaryDueAt: { $lt: now }, state: { $ne: 'closed' }, overdueFlaggedAt: null },
        { orderBy: { summaryDueAt: 'asc', id: 'asc' }, limit: FLAG_BATCH },
      ),
    );
    let flagged = 0;
    for (const incident of due) {
      flagged += await this.uow.run(async (em) => {
        const moved = await em.nativeUpdate(
          Incident,
          { id: incident.id, state: { $ne: 'closed' }, overdueFlaggedAt: null },
          { overdueFlaggedAt: now },
        );
        if (moved === 0) return 0;
        await this.ledger.record(em, [
          {
            actor: SYSTEM_ACTOR,
            action: 'incident.summaryOverdue',
            subjectIds: [incident.id, incident.reportedByOrganisationId],
            payload: {
              article: 'DS 16',
              level: incident.level,
              importance: incident.importance,
              summaryDueAt: incident.summaryDueAt!.toISOString(),
            },
          },
        ]);
        return 1;
      });
    }
    return flagged;
  }

  /** Every incident whose closing summary is past due at `now` and not given, oldest due first. */
  async overdueSummaries(now: Date): Promise<OverdueSummary[]> {
    const rows = await this.uow.read((em) =>
      em.find(
        Incident,
        { summaryDueAt: { $lt: now }, state: { $ne: 'closed' } },
        { orderBy: { summaryDueAt: 'asc', id: 'asc' } },
      ),
    );
    return rows.map((i) => ({
      incidentId: i.id,
      organisationId: i.reportedByOrganisationId,
      title: i.title,
      level: i.level,
      reportedAt: i.reportedAt,
      summaryDueAt: i.summaryDueAt!,
    }));
  }

  /** The exchange's incident report for `year` (DS 16 last paragraph), made now. */
  yearlyReport(year: number): Promise<YearlyReport> {
    return this.uow.read((em) => this.reportOf(em, year));
  }

  /**
   * The operator submits the yearly report to the regulators: `incident.yearlyReportSubmitted` records its
   * SHA-256, so the report handed over can be proven to be the one submitted. A later submission for the same year
   * (a correction) is recorded beside it.
   */
  submitYearlyReport(principal: Principal, year: number): Promise<YearlyReport> {
    return this.uow.run(async (em) => {
      const report = await this.reportOf(em, year);
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'incident.yearlyReportSubmitted',
          subjectIds: [`incident-report:${year}`, principal.organisationId],
          payload: {
            article: 'DS 16',
            year,
            contentSha256: report.contentSha256,
            generatedAt: report.generatedAt,
            totals: report.totals,
          },
        },
      ]);
      return report;
    });
  }

  private async reportOf(em: EntityManager, year: number): Promise<YearlyReport> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999)
      throw new ValidationFailed('year is a calendar year from 2000 to 9999', 'invalid_year');
    const { start, end } = yearBounds(year);
    const rows = await em.find(
      Incident,
      { reportedAt: { $gte: start, $lt: end } },
      { orderBy: { reportedAt: 'asc', id: 'asc' } },
    );
    return yearlyReport(year, rows, this.clock.now());
  }

  /**
   * One move of the transition table: who may make it is checked on the row read, the move itself is a conditional
   * update on the `from` states (of parallel moves one takes effect, the others are 409), with its ledger entry.
   */
  private step(
    principal: Principal,
    id: string,
    step: IncidentStep,
    changes: Partial<Incident>,
    payload: Record<string, string>,
    extra: (incident: Incident) => Record<string, boolean> = () => ({}),
  ): Promise<SeenIncident> {
    const { from, to, by, recorded } = INCIDENT_TRANSITIONS[step];
    return this.uow.run(async (em) => {
      const { incident, notice } = await this.seen(em, principal, id);
      const handler =
        principal.roles.includes('operator') ||
        incident.reportedByOrganisationId === principal.organisationId;
      if (by === 'handler' && !handler)
        throw new Forbidden(
          `only the reporting organisation or the operator may ${step} an incident`,
          'not_the_handler',
        );
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Incident,
        { id, state: { $in: [...from] } },
        { ...changes, state: to, updatedAt: now },
      );
      if (moved === 0) {
        const current = await em.findOneOrFail(Incident, { id }, { refresh: true });
        throw new Conflict(`cannot ${step} an incident that is ${current.state}`, 'invalid_transition');
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: recorded,
          subjectIds: [id, incident.reportedByOrganisationId],
          payload: { to, level: incident.level, ...payload, ...extra(incident) },
        },
      ]);
      return { incident: await em.findOneOrFail(Incident, { id }, { refresh: true }), notice };
    });
  }

  private async seen(em: EntityManager, principal: Principal, id: string): Promise<SeenIncident> {
    const incident = await em.findOne(Incident, { id });
    if (!incident) throw new NotFound('incident');
    const notice = isOverseer(principal)
      ? null
      : await em.findOne(IncidentNotice, { incidentId: id, organisationId: principal.organisationId });
    if (!isOverseer(principal) && incident.reportedByOrganisationId !== principal.organisationId && !notice)
      throw new NotFound('incident');
    return { incident, notice };
  }

  private static check(input: NewIncident, now: Date): void {
    if (input.title.trim() === '') throw new ValidationFailed('give the incident a title', 'title_required');
    if (input.description.trim() === '')
      throw new ValidationFailed('describe what happened (description)', 'description_required');
    if (input.measures.trim() === '')
      throw new ValidationFailed(
        'say what the affected parties should do to lessen the harm (measures, DS 16)',
        'measures_required',
      );
    if (Number.isNaN(input.occurredAt.getTime()) || input.occurredAt.getTime() > now.getTime())
      throw new ValidationFailed('occurredAt is a moment that has already passed', 'invalid_occurred_at');
    if (input.affectedAssetIds.length > MAX_AFFECTED_ASSETS)
      throw new ValidationFailed(`name at most ${MAX_AFFECTED_ASSETS} affected assets`, 'too_many_assets');
  }
}
