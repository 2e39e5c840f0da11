import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  DATA_LEVELS,
  MAINLAND_CHINA,
  checkCrossBorder,
  checkTermsAgainstListing,
  contractClauses,
  purposeApprovalRequired,
  type DataLevel,
  type TradedListing,
  type TradedTerms,
} from './index.js';

const crossBorder = JSON.parse(
  readFileSync(new URL('./vectors/cross-border.json', import.meta.url), 'utf8'),
) as {
  cases: {
    buyerRegisteredIn: string;
    level: DataLevel;
    personalInformation: boolean;
    allowed: boolean;
    article: string;
  }[];
};

const computeListing: TradedListing = {
  level: 'general',
  openAttribute: 'not-open',
  dataKinds: ['enterprise'],
  delivery: 'compute',
  pricingMode: 'market',
  billingUnits: ['per-computation', 'subscription'],
  recipes: [
    { recipe: 'mean', columns: ['vehicle_count', 'mean_speed'] },
    { recipe: 'sum', columns: ['vehicle_count'] },
  ],
  band: null,
};

const terms = (overrides: Partial<TradedTerms> = {}): TradedTerms => ({
  purpose: '交通规划',
  columns: ['vehicle_count'],
  recipes: ['mean'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen: 1_000n,
  computations: 3,
  ...overrides,
});

const fileListing: TradedListing = {
  ...computeListing,
  openAttribute: 'unconditional',
  delivery: 'file',
  billingUnits: ['one-off'],
  recipes: [],
};
const fileTerms = terms({
  delivery: 'file',
  columns: [],
  recipes: [],
  billingUnit: 'one-off',
  computations: null,
});

const band = { category: 'transport', minFen: 1_000n, maxFen: 5_000n, publicResourceFeeBasisPoints: 500 };
const guidedListing: TradedListing = {
  ...computeListing,
  openAttribute: 'conditional',
  dataKinds: ['public'],
  pricingMode: 'guided',
  band,
};
const freeListing: TradedListing = { ...guidedListing, pricingMode: 'conditional-free', band: null };

describe('checkTermsAgainstListing', () => {
  it('allows terms within the listing', () => {
    expect(checkTermsAgainstListing(computeListing, terms())).toMatchObject({ allowed: true });
    expect(
      checkTermsAgainstListing(computeListing, terms({ recipes: ['mean', 'sum'], columns: ['mean_speed'] })),
    ).toMatchObject({ allowed: true });
    expect(checkTermsAgainstListing(fileListing, fileTerms)).toMatchObject({ allowed: true });
  });

  it.each([
    ['an empty purpose', computeListing, terms({ purpose: '  ' }), 'DS 58', 'purpose_required'],
    [
      'file delivery of not-open data',
      computeListing,
      terms({ delivery: 'file', columns: [], recipes: [] }),
      'DS 58',
      'delivery_not_allowed',
    ],
    [
      'file delivery of conditionally open data',
      guidedListing,
      terms({ delivery: 'file', columns: [], recipes: [], priceFen: 2_000n }),
      'DE 31',
      'delivery_not_allowed',
    ],
    [
      'compute delivery from a file listing',
      fileListing,
      terms({ billingUnit: 'one-off', computations: null }),
      'DS 58',
      'delivery_not_offered',
    ],
    [
      'a recipe the listing does not allow',
      computeListing,
      terms({ recipes: ['histogram'] }),
      'DS 35',
      'scope_beyond_listing',
    ],
    [
      'a column of the listing that the requested recipe may not touch',
      computeListing,
      terms({ recipes: ['sum'], columns: ['mean_speed'] }),
      'DS 35',
      'scope_beyond_listing',
    ],
    [
      'a column the listing never offers',
      computeListing,
      terms({ columns: ['phone'] }),
      'DS 35',
      'scope_beyond_listing',
    ],
    ['no recipe', computeListing, terms({ recipes: [] }), 'DS 35', 'scope_required'],
    ['no column', computeListing, terms({ columns: [] }), 'DS 35', 'scope_required'],
    [
      'columns with a file',
      fileListing,
      { ...fileTerms, columns: ['vehicle_count'] },
      'DS 35',
      'scope_not_applicable',
    ],
    [
      'a billing unit the listing does not offer',
      computeListing,
      terms({ billingUnit: 'one-off', computations: null }),
      'DS 58',
      'billing_unit_not_offered',
    ],
    [
      'per-computation without a count',
      computeListing,
      terms({ computations: null }),
      'DS 58',
      'computations_required',
    ],
    [
      'per-computation with zero',
      computeListing,
      terms({ computations: 0 }),
      'DS 58',
      'computations_required',
    ],
    [
      'a count with a subscription',
      computeListing,
      terms({ billingUnit: 'subscription', computations: 2 }),
      'DS 58',
      'computations_not_applicable',
    ],
    ['a negative market price', computeListing, terms({ priceFen: -1n }), 'DE 41', 'negative_price'],
    [
      'a guided price above the band',
      guidedListing,
      terms({ priceFen: 5_001n }),
      'DE 41',
      'price_outside_band',
    ],
    [
      'a guided price below the band',
      guidedListing,
      terms({ priceFen: 999n }),
      'DE 41',
      'price_outside_band',
    ],
    ['a price for conditional free use', freeListing, terms({ priceFen: 1n }), 'DE 41', 'free_must_be_zero'],
  ] as const)('refuses %s', (_what, listing, t, article, code) => {
    expect(checkTermsAgainstListing(listing, t)).toMatchObject({ allowed: false, article, code });
  });

  it('names the scope the listing allows when a version asks for more (DS 35)', () => {
    const decision = checkTermsAgainstListing(computeListing, terms({ columns: ['vehicle_count', 'phone'] }));
    expect(decision.reason).toContain('phone');
    expect(decision.reason).toContain('vehicle_count');
  });

  it('names the band when a guided price leaves it (DE 41)', () => {
    const decision = checkTermsAgainstListing(guidedListing, terms({ priceFen: 9_000n }));
    expect(decision.reason).toContain('1000 fen to 5000 fen');
  });

  it('keeps any guided price inside the band and refuses every one outside it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000n }), (price) => {
        const decision = checkTermsAgainstListing(guidedListing, terms({ priceFen: price }));
        expect(decision.allowed).toBe(price >= band.minFen && price <= band.maxFen);
      }),
    );
  });

  it('lets a market price move anywhere from 0 up (the list price is where a negotiation starts)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (price) => {
        expect(checkTermsAgainstListing(computeListing, terms({ priceFen: price })).allowed).toBe(true);
      }),
    );
  });

  it('prices conditional free use at 0 and asks the operator to approve its purpose', () => {
    expect(checkTermsAgainstListing(freeListing, terms({ priceFen: 0n })).allowed).toBe(true);
    expect(purposeApprovalRequired('conditional-free')).toEqual({ required: true, article: 'DE 41' });
    expect(purposeApprovalRequired('guided').required).toBe(false);
    expect(purposeApprovalRequired('market').required).toBe(false);
  });

  it('never allows a column or recipe outside the listing, whatever the request', () => {
    const names = ['vehicle_count', 'mean_speed', 'phone', 'x'];
    const recipes = ['mean', 'sum', 'histogram'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...names), { minLength: 1 }),
        fc.uniqueArray(fc.constantFrom(...recipes), { minLength: 1 }),
        (columns, rs) => {
          const decision = checkTermsAgainstListing(computeListing, terms({ columns, recipes: rs }));
          const allowedColumns = new Set(
            computeListing.recipes.filter((r) => rs.includes(r.recipe)).flatMap((r) => r.columns),
          );
          const within =
            rs.every((r) => computeListing.recipes.some((o) => o.recipe === r)) &&
            columns.every((c) => allowedColumns.has(c));
          expect(decision.allowed).toBe(within);
          if (!within) expect(decision.article).toBe('DS 35');
        },
      ),
    );
  });
});

describe('checkCrossBorder (DS 38, DS 72)', () => {
  it.each(crossBorder.cases)(
    '$buyerRegisteredIn buyer, $level data, personal information $personalInformation: allowed $allowed ($article)',
    ({ buyerRegisteredIn, level, personalInformation, allowed, article }) => {
      const decision = checkCrossBorder({ buyerRegisteredIn, level, personalInformation });
      expect(decision).toMatchObject({ allowed, article });
      if (!allowed) expect(decision.reason).toContain(buyerRegisteredIn.toUpperCase());
    },
  );

  it('refuses any buyer outside the mainland exactly when the data is important, core or personal', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{2}$/),
        fc.constantFrom(...DATA_LEVELS),
        fc.boolean(),
        (where, level, pi) => {
          const decision = checkCrossBorder({ buyerRegisteredIn: where, level, personalInformation: pi });
          const refused = where !== MAINLAND_CHINA && (level !== 'general' || pi);
          expect(decision.allowed).toBe(!refused);
        },
      ),
    );
  });
});

describe('contractClauses', () => {
  it('always forbids onward transfer (DS 40, DS 52) and adds the data-security clause for important data (DS 35)', () => {
    expect(contractClauses('general').map((c) => [c.code, c.article])).toEqual([
      ['no_onward_transfer', 'DS 40, DS 52'],
    ]);
    for (const level of ['important', 'core'] as const) {
      expect(contractClauses(level).map((c) => [c.code, c.article])).toEqual([
        ['no_onward_transfer', 'DS 40, DS 52'],
        ['data_security', 'DS 35'],
      ]);
    }
  });

  it('states each clause in Chinese and English', () => {
    for (const clause of contractClauses('important')) {
      expect(clause.text).toMatch(/[\u4e00-\u9fff]/);
      expect(clause.text).toMatch(/[A-Za-z]{4,}/);
    }
  });
});
