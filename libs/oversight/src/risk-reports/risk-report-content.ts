import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ValidationFailed } from '@app/core';
import { creditCodeProblem } from '@app/identity';
import type { ImportantDataLine, RiskLine } from '../entities/risk-report.entity.js';

import { MAX_IMPORTANT_DATA_LINES, MAX_RISK_LINES, type AssessorKind } from '../core/risk-report-terms.js';

/** What a holder files (DS 60): everything the report says, nothing the platform adds. */
export interface RiskReportInput {
  periodYear: number;
  assessorKind: AssessorKind;
  assessorName: string | null;
  assessorCreditCode: string | null;
  importantData: ImportantDataLine[];
  processingActivities: string;
  risks: RiskLine[];
  conclusion: string;
  supersedesId: string | null;
}

/** The hashed content: the input and whose report it is. Field names are part of the published hash. */
export interface RiskReportContent extends RiskReportInput {
  organisationId: string;
}

/**
 * Lowercase hex SHA-256 of the RFC 8785 canonical JSON of the content, as the report and its ledger entry carry
 * it: a regulator holding a copy recomputes it to see that the copy is the one filed.
 */
export function riskReportSha256(content: RiskReportContent): string {
  const json = canonicalize({
    organisationId: content.organisationId,
    periodYear: content.periodYear,
    assessorKind: content.assessorKind,
    assessorName: content.assessorName,
    assessorCreditCode: content.assessorCreditCode,
    importantData: content.importantData.map((l) => ({
      assetId: l.assetId,
      category: l.category,
      level: l.level,
      amount: l.amount,
    })),
    processingActivities: content.processingActivities,
    risks: content.risks.map((r) => ({ risk: r.risk, measure: r.measure, effectiveness: r.effectiveness })),
    conclusion: content.conclusion,
    supersedesId: content.supersedesId,
  });
  return createHash('sha256').update(json!, 'utf8').digest('hex');
}

/**
 * The rules the DTO cannot state alone: the period is this year or last (by `now`, UTC); a third-party
 * assessment (DS 65) names its assessor and gives a valid unified social credit code (GB 32100); a self-assessment
 * names no assessor; each line states something.
 */
export function checkRiskReport(input: RiskReportInput, now: Date): void {
  const year = now.getUTCFullYear();
  if (input.periodYear !== year && input.periodYear !== year - 1)
    throw new ValidationFailed(
      `periodYear is the year assessed: ${year} or ${year - 1}, not ${input.periodYear}`,
      'invalid_period_year',
    );
  if (input.assessorKind === 'third-party') {
    if (!input.assessorName?.trim())
      throw new ValidationFailed(
        'a third-party assessment names its assessor (assessorName)',
        'assessor_required',
      );
    const problem =
      input.assessorCreditCode === null ? 'is missing' : creditCodeProblem(input.assessorCreditCode);
    if (problem !== null)
      throw new ValidationFailed(
        `assessorCreditCode, the third-party assessor's unified social credit code, ${problem}`,
        'invalid_assessor_credit_code',
      );
  } else if (input.assessorName !== null || input.assessorCreditCode !== null) {
    throw new ValidationFailed(
      'a self-assessment names no assessor: leave assessorName and assessorCreditCode out',
      'assessor_not_allowed',
    );
  }
  if (input.importantData.length > MAX_IMPORTANT_DATA_LINES)
    throw new ValidationFailed(
      `give at most ${MAX_IMPORTANT_DATA_LINES} importantData lines`,
      'too_many_lines',
    );
  if (input.risks.length < 1 || input.risks.length > MAX_RISK_LINES)
    throw new ValidationFailed(`give 1 to ${MAX_RISK_LINES} risks, each with its measure`, 'invalid_risks');
  const blank =
    [input.processingActivities, input.conclusion].some((s) => !s.trim()) ||
    input.importantData.some((l) => !l.category.trim() || !l.amount.trim()) ||
    input.risks.some((r) => !r.risk.trim() || !r.measure.trim());
  if (blank)
    throw new ValidationFailed(
      'processingActivities, conclusion, each line’s category and amount, and each risk and measure say something',
      'blank_text',
    );
}
