import { createHash } from 'node:crypto';
import { ValidationFailed } from '@app/core';
import { creditCodeCheckCharacter } from '@app/identity';
import { checkRiskReport, riskReportSha256, type RiskReportInput } from './risk-report-content.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const body17 = '91110000MA0000000';
const CODE = body17 + creditCodeCheckCharacter(body17);
const input = (overrides: Partial<RiskReportInput> = {}): RiskReportInput => ({
  periodYear: 2026,
  assessorKind: 'self',
  assessorName: null,
  assessorCreditCode: null,
  importantData: [{ assetId: null, category: '医保结算', level: 'important', amount: '10000 rows' }],
  processingActivities: '存储与加工',
  risks: [{ risk: '越权访问', measure: '最小权限', effectiveness: 'effective' }],
  conclusion: '可控',
  supersedesId: null,
  ...overrides,
});
const codeOf = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationFailed);
    return (e as ValidationFailed).code;
  }
};

describe('checkRiskReport', () => {
  it('takes this year and last, by the UTC clock', () => {
    expect(codeOf(() => checkRiskReport(input({ periodYear: 2026 }), NOW))).toBeUndefined();
    expect(codeOf(() => checkRiskReport(input({ periodYear: 2025 }), NOW))).toBeUndefined();
    expect(codeOf(() => checkRiskReport(input({ periodYear: 2024 }), NOW))).toBe('invalid_period_year');
    expect(codeOf(() => checkRiskReport(input({ periodYear: 2027 }), NOW))).toBe('invalid_period_year');
  });

  it('asks a third party for its name and a GB 32100-valid credit code, and a self-assessment for neither', () => {
    const third = { assessorKind: 'third-party' as const, assessorName: '评估中心' };
    expect(codeOf(() => checkRiskReport(input({ ...third, assessorCreditCode: CODE }), NOW))).toBeUndefined();
    expect(codeOf(() => checkRiskReport(input({ ...third, assessorCreditCode: null }), NOW))).toBe(
      'invalid_assessor_credit_code',
    );
    const wrongCheck = CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0');
    expect(codeOf(() => checkRiskReport(input({ ...third, assessorCreditCode: wrongCheck }), NOW))).toBe(
      'invalid_assessor_credit_code',
    );
    expect(
      codeOf(() => checkRiskReport(input({ ...third, assessorName: ' ', assessorCreditCode: CODE }), NOW)),
    ).toBe('assessor_required');
    expect(codeOf(() => checkRiskReport(input({ assessorCreditCode: CODE }), NOW))).toBe(
      'assessor_not_allowed',
    );
  });

  it('wants 1 to 200 risks and text that says something', () => {
    expect(codeOf(() => checkRiskReport(input({ risks: [] }), NOW))).toBe('invalid_risks');
    expect(codeOf(() => checkRiskReport(input({ conclusion: ' \n' }), NOW))).toBe('blank_text');
    expect(
      codeOf(() =>
        checkRiskReport(input({ risks: [{ risk: 'x', measure: '\t', effectiveness: 'not-assessed' }] }), NOW),
      ),
    ).toBe('blank_text');
  });
});

describe('riskReportSha256', () => {
  it('is SHA-256 of the RFC 8785 form: keys sorted, no spaces, whatever order the fields came in', () => {
    const content = { ...input(), organisationId: 'org' };
    const expected = createHash('sha256')
      .update(
        '{"assessorCreditCode":null,"assessorKind":"self","assessorName":null,' +
          '"conclusion":"可控","importantData":[{"amount":"10000 rows","assetId":null,"category":"医保结算",' +
          '"level":"important"}],"organisationId":"org","periodYear":2026,"processingActivities":"存储与加工",' +
          '"risks":[{"effectiveness":"effective","measure":"最小权限","risk":"越权访问"}],"supersedesId":null}',
      )
      .digest('hex');
    expect(riskReportSha256(content)).toBe(expected);
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(riskReportSha256(reordered)).toBe(expected);
    expect(riskReportSha256({ ...content, conclusion: '可控。' })).not.toBe(expected);
  });
});
