import { defineEntity, p } from '@mikro-orm/core';

/** One category of important data the holder processes (DS 60): prefilled from its registered assets. */
export interface ImportantDataLine {
  assetId: string | null;
  category: string;
  level: 'important' | 'core';
  /** How much: rows, records or bytes, as the holder states it. */
  amount: string;
}

/** A risk found and what is done about it (DS 60: 应对措施及其有效程度). */
export interface RiskLine {
  risk: string;
  measure: string;
  effectiveness: 'effective' | 'partly-effective' | 'ineffective' | 'not-assessed';
}

/**
 * A data security risk assessment report (DS 60, 63, 65). Append-only (migration 015 puts triggers on the table):
 * a correction is a new report that names the one it `supersedes`, so every report stays readable for at least
 * `RISK_REPORT_RETENTION_YEARS` (DS 60) and, here, for good.
 */
export const RiskReportSchema = defineEntity({
  name: 'RiskReport',
  tableName: 'risk_reports',
  properties: {
    id: p.string().primary().length(36),
    organisationId: p.string().length(36),
    filedByAccountId: p.string().length(36),
    /** The year assessed. */
    periodYear: p.integer(),
    /** DS 65: by the holder itself or a third-party assessor (preferred for core data). */
    assessorKind: p.string().$type<'self' | 'third-party'>().length(16),
    assessorName: p.string().length(200).nullable(),
    /** The third-party assessor's unified social credit code, checked. */
    assessorCreditCode: p.string().length(18).nullable(),
    importantData: p.json<ImportantDataLine[]>(),
    processingActivities: p.text(),
    risks: p.json<RiskLine[]>(),
    conclusion: p.text(),
    supersedesId: p.string().length(36).nullable(),
    /** SHA-256 (hex) of the report's RFC 8785 canonical JSON, as on the ledger. */
    contentSha256: p.string().length(64),
    filedAt: p.datetime(),
    /** `retainedUntil(filedAt)` (DS 60): nothing may remove it before. */
    retainUntil: p.datetime(),
  },
});
export class RiskReport extends RiskReportSchema.class {}
RiskReportSchema.setClass(RiskReport);
