import { RuleRefused, ValidationFailed } from '@app/core';
import { assessInput, inputHash, isCalendarDay, type AssetInput } from './asset-input.js';

const holder = '11111111-1111-4111-8111-111111111111';
const input = (overrides: Partial<AssetInput> = {}): AssetInput => ({
  title: '医保结算汇总',
  description: 'Monthly settlement totals per hospital.',
  industry: 'healthcare',
  dataKind: 'enterprise',
  source: { method: 'transaction-log', description: '结算系统导出' },
  columns: [
    {
      name: 'hospital',
      type: 'text',
      unit: null,
      personalInformation: false,
      tradeSecret: false,
      public: true,
    },
    {
      name: 'amount',
      type: 'decimal',
      unit: 'CNY',
      personalInformation: false,
      tradeSecret: false,
      public: false,
    },
  ],
  rowCount: 12_000,
  updateFrequency: 'monthly',
  timeRange: { start: '2025-01-01', end: '2025-12-31' },
  classification: { affectedObject: 'public-interest', harm: 'serious' },
  declaredLevel: null,
  openAttribute: 'conditional',
  shareAttribute: null,
  rights: (['holding', 'processing', 'operation'] as const).map((right) => ({
    right,
    organisationId: holder,
    shareBasisPoints: 10_000,
  })),
  ...overrides,
});

const refusal = (fn: () => unknown): RuleRefused | ValidationFailed | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleRefused || error instanceof ValidationFailed) return error;
    throw error;
  }
  return undefined;
};

describe('assessInput', () => {
  it('computes the level by DS 21 表1 and keeps a stricter declared one', () => {
    expect(assessInput(input())).toMatchObject({ level: 'important', computed: { level: 'important' } });
    expect(assessInput(input({ declaredLevel: 'core' })).level).toBe('core');
  });

  it.each([
    ['a declared level below 表1', input({ declaredLevel: 'general' }), 'DS 21'],
    [
      'a trade-secret column declared conditional',
      input({ columns: [{ ...input().columns[1], tradeSecret: true }] }),
      'DE 31',
    ],
    ['a share attribute on enterprise data', input({ shareAttribute: 'unconditional' }), 'DE 27'],
    [
      'shares not summing to 10000',
      input({ rights: input().rights.map((r) => ({ ...r, shareBasisPoints: 9_999 })) }),
      'DE 35',
    ],
  ])('refuses %s naming %s', (_what, value, article) => {
    const error = refusal(() => assessInput(value));
    expect(error).toBeInstanceOf(RuleRefused);
    expect((error as RuleRefused).article).toBe(article);
  });

  it.each([
    ['a column named twice', input({ columns: [input().columns[0], input().columns[0]] })],
    ['a start after the end', input({ timeRange: { start: '2025-12-31', end: '2025-01-01' } })],
    ['a day that does not exist', input({ timeRange: { start: '2025-02-30', end: '2025-12-31' } })],
  ])('refuses %s as bad input', (_what, value) => {
    expect(refusal(() => assessInput(value))).toBeInstanceOf(ValidationFailed);
  });
});

describe('inputHash', () => {
  it('does not depend on key order and changes with any field', () => {
    const a = input();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as AssetInput;
    expect(inputHash(reordered)).toBe(inputHash(a));
    expect(inputHash(input({ rowCount: 12_001 }))).not.toBe(inputHash(a));
  });
});

describe('isCalendarDay', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-1-01', false],
  ])('%s → %s', (day, ok) => expect(isCalendarDay(day)).toBe(ok));
});
