import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  AFFECTED_OBJECTS,
  DATA_LEVELS,
  HARMS,
  OPEN_ATTRIBUTES,
  allowance,
  checkDeclaredLevel,
  checkListingShape,
  checkOpenAttribute,
  checkPrice,
  checkRightShares,
  checkShareAttribute,
  classify,
  highestLevel,
  levelRank,
  loosestOpenAttribute,
  type AffectedObject,
  type DataLevel,
  type Harm,
  type PricingBand,
} from './index.js';

const table = JSON.parse(readFileSync(new URL('./vectors/level-table.json', import.meta.url), 'utf8')) as {
  cells: { affectedObject: AffectedObject; harm: Harm; level: DataLevel }[];
};

describe('DS 21 表1', () => {
  it('has a vector for every cell', () => {
    expect(table.cells).toHaveLength(AFFECTED_OBJECTS.length * HARMS.length);
  });

  it.each(table.cells)('$affectedObject × $harm → $level', ({ affectedObject, harm, level }) => {
    const result = classify(affectedObject, harm);
    expect(result.level).toBe(level);
    expect(result.article).toBe('DS 21');
    expect(result.justification).toContain(level);
  });

  it('refuses a declared level below the computed one and accepts any stricter one', () => {
    for (const { affectedObject, harm, level } of table.cells) {
      for (const declared of DATA_LEVELS) {
        const decision = checkDeclaredLevel(declared, classify(affectedObject, harm));
        expect(decision.allowed).toBe(levelRank(declared) >= levelRank(level));
        expect(decision.article).toBe('DS 21');
      }
    }
  });
});

describe('DS 29: the highest level wins', () => {
  it('is the maximum of any non-empty set of levels', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DATA_LEVELS), { minLength: 1 }), (levels) => {
        const { level, article } = highestLevel(levels);
        expect(article).toBe('DS 29');
        expect(levels).toContain(level);
        for (const other of levels) expect(levelRank(level)).toBeGreaterThanOrEqual(levelRank(other));
      }),
    );
  });
});

describe('DE 31: personal information and trade secrets are not open', () => {
  const plain = { name: 'amount', personalInformation: false, tradeSecret: false };
  it('allows any attribute for enterprise or public data without sensitive columns', () => {
    for (const kind of ['enterprise', 'public'] as const)
      for (const attribute of OPEN_ATTRIBUTES)
        expect(checkOpenAttribute(attribute, kind, [plain]).allowed).toBe(true);
  });
  it.each([
    ['a personal-information column', 'enterprise', [{ ...plain, name: 'phone', personalInformation: true }]],
    ['a trade-secret column', 'public', [{ ...plain, name: 'cost', tradeSecret: true }]],
    ['personal data', 'personal', [plain]],
  ] as const)('makes data with %s not open', (_what, kind, columns) => {
    expect(loosestOpenAttribute(kind, columns).attribute).toBe('not-open');
    for (const attribute of ['unconditional', 'conditional'] as const) {
      const decision = checkOpenAttribute(attribute, kind, columns);
      expect(decision).toMatchObject({ allowed: false, article: 'DE 31', code: 'open_attribute_too_loose' });
    }
    expect(checkOpenAttribute('not-open', kind, columns).allowed).toBe(true);
  });
  it('names the sensitive columns in the refusal', () => {
    const decision = checkOpenAttribute('conditional', 'enterprise', [
      { ...plain, name: 'phone', personalInformation: true },
    ]);
    expect(decision.reason).toContain('phone');
  });
});

describe('DE 27 / DS 47: share attribute', () => {
  it('is required for public data and refused for other data', () => {
    expect(checkShareAttribute('public', null)).toMatchObject({ allowed: false, article: 'DE 27' });
    expect(checkShareAttribute('public', 'conditional').allowed).toBe(true);
    expect(checkShareAttribute('enterprise', 'unconditional')).toMatchObject({
      allowed: false,
      article: 'DE 27',
    });
    expect(checkShareAttribute('personal', undefined).allowed).toBe(true);
  });
});

describe('DE 35: three rights, shares summing to 10000', () => {
  const full = (right: 'holding' | 'processing' | 'operation', org = 'a') => ({
    right,
    organisationId: org,
    shareBasisPoints: 10_000,
  });
  it('accepts each right held in whole', () => {
    expect(checkRightShares([full('holding'), full('processing'), full('operation')]).allowed).toBe(true);
  });
  it('accepts split shares that sum to 10000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999 }), (first) => {
        const shares = [
          full('holding'),
          full('processing'),
          { right: 'operation' as const, organisationId: 'a', shareBasisPoints: first },
          { right: 'operation' as const, organisationId: 'b', shareBasisPoints: 10_000 - first },
        ];
        expect(checkRightShares(shares).allowed).toBe(true);
      }),
    );
  });
  it.each([
    ['a missing right', [full('holding'), full('processing')], 'right_without_holder'],
    [
      'shares summing to 9999',
      [full('holding'), full('processing'), { ...full('operation'), shareBasisPoints: 9_999 }],
      'shares_not_whole',
    ],
    [
      'a fractional share',
      [full('holding'), full('processing'), { ...full('operation'), shareBasisPoints: 10_000.5 }],
      'invalid_share',
    ],
    [
      'a holder named twice',
      [
        full('holding'),
        full('processing'),
        { ...full('operation'), shareBasisPoints: 5_000 },
        { ...full('operation'), shareBasisPoints: 5_000 },
      ],
      'duplicate_holder',
    ],
  ] as const)('refuses %s', (_what, shares, code) => {
    expect(checkRightShares(shares)).toMatchObject({ allowed: false, article: 'DE 35', code });
  });
});

describe('listing rules', () => {
  const asset = (level: DataLevel, openAttribute: (typeof OPEN_ATTRIBUTES)[number]) => ({
    level,
    openAttribute,
    dataKind: 'enterprise' as const,
  });
  it('never lists core data, whatever it is combined with (DS 59 with DS 29)', () => {
    const decision = checkListingShape({
      assets: [asset('general', 'not-open'), asset('core', 'not-open')],
      delivery: 'compute',
      recipeCount: 1,
      minRows: 10,
    });
    expect(decision).toMatchObject({ allowed: false, article: 'DS 59', code: 'core_not_listable' });
  });
  it.each([
    ['not-open', 'DS 58'],
    ['conditional', 'DE 31'],
  ] as const)('offers %s data compute-only (%s)', (open, article) => {
    const decision = checkListingShape({
      assets: [asset('general', open)],
      delivery: 'file',
      recipeCount: 0,
      minRows: null,
    });
    expect(decision).toMatchObject({ allowed: false, article, code: 'delivery_not_allowed' });
  });
  it('lets unconditional data be delivered as a file', () => {
    expect(
      checkListingShape({
        assets: [asset('important', 'unconditional')],
        delivery: 'file',
        recipeCount: 0,
        minRows: null,
      }).allowed,
    ).toBe(true);
  });
  it('needs recipes and k ≥ 10 for compute-only listings', () => {
    const base = { assets: [asset('general', 'not-open')], delivery: 'compute' as const };
    expect(checkListingShape({ ...base, recipeCount: 0, minRows: 10 }).allowed).toBe(false);
    expect(checkListingShape({ ...base, recipeCount: 1, minRows: 9 }).allowed).toBe(false);
    expect(checkListingShape({ ...base, recipeCount: 1, minRows: 10 }).allowed).toBe(true);
  });
  it('asks a security review and agreement for important data and keeps it inside the border', () => {
    const rules = allowance('important', 'conditional');
    expect(rules.securityReviewBeforeListing).toEqual({ required: true, article: 'DS 26' });
    expect(rules.securityAgreementInContract).toEqual({ required: true, article: 'DS 35' });
    expect(rules.crossBorder).toEqual({ allowed: false, article: 'DS 38' });
    expect(allowance('general', 'unconditional').crossBorder.allowed).toBe(true);
  });
});

describe('DE 41 pricing', () => {
  const band: PricingBand = {
    category: 'traffic',
    minFen: 1_000n,
    maxFen: 5_000n,
    publicResourceFeeBasisPoints: 500,
  };
  it('keeps a guided price inside its band and names the band when it is not', () => {
    expect(checkPrice({ mode: 'guided', priceFen: 1_000n, dataKinds: ['public'], band }).allowed).toBe(true);
    expect(checkPrice({ mode: 'guided', priceFen: 5_000n, dataKinds: ['public'], band }).allowed).toBe(true);
    const above = checkPrice({ mode: 'guided', priceFen: 5_001n, dataKinds: ['public'], band });
    expect(above).toMatchObject({ allowed: false, article: 'DE 41', code: 'price_outside_band' });
    expect(above.reason).toContain('1000 fen to 5000 fen');
    expect(checkPrice({ mode: 'guided', priceFen: 999n, dataKinds: ['public'], band }).allowed).toBe(false);
    expect(checkPrice({ mode: 'guided', priceFen: 2_000n, dataKinds: ['public'], band: null }).allowed).toBe(
      false,
    );
  });
  it('prices conditional free use at 0, for public data only', () => {
    expect(
      checkPrice({ mode: 'conditional-free', priceFen: 0n, dataKinds: ['public'], band: null }).allowed,
    ).toBe(true);
    expect(
      checkPrice({ mode: 'conditional-free', priceFen: 1n, dataKinds: ['public'], band: null }).allowed,
    ).toBe(false);
    expect(
      checkPrice({ mode: 'conditional-free', priceFen: 0n, dataKinds: ['enterprise'], band: null }).allowed,
    ).toBe(false);
  });
  it('market-prices enterprise and personal data, never public data', () => {
    expect(
      checkPrice({ mode: 'market', priceFen: 99n, dataKinds: ['enterprise', 'personal'], band: null })
        .allowed,
    ).toBe(true);
    expect(checkPrice({ mode: 'market', priceFen: 99n, dataKinds: ['public'], band: null }).allowed).toBe(
      false,
    );
  });
});
