import {
  calibrateNoise,
  createOutputPolicy,
  fixedPoint,
  releasedUnitLogPmf,
  createPrivacyBudget,
  createSha256DrbgRandomSource,
  evaluateRelease,
  rowSetFromRanges,
  type PrivacyBudget,
  type RandomSource,
  type ReleaseDecision,
  type ReleaseHistory,
  type ReleaseRequest,
  type RowSet,
} from '../index.js';

const policy = createOutputPolicy({ contractId: 'contract-1', minRows: 10 });
const rows = (start: number, end: number): RowSet => rowSetFromRanges([[start, end]]);

function noRandomness(): RandomSource {
  const fail = (): never => {
    throw new Error('a refusal or repeat must not draw noise');
  };
  return { randomInt: fail, randomBits: fail };
}

function request(overrides: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    policy,
    budget: createPrivacyBudget('contract-1', 1),
    history: [],
    releaseId: 'release-1',
    queryKey: 'sum(salary)',
    rowSet: rows(0, 100),
    values: ['1234.56', 42],
    sensitivity: 1,
    epsilon: '0.1',
    resolution: '0.01',
    random: createSha256DrbgRandomSource('evaluator'),
    ...overrides,
  };
}

function expectRelease(decision: ReleaseDecision) {
  if (decision.decision !== 'release') throw new Error(`expected a release, got ${JSON.stringify(decision)}`);
  return decision;
}

/** Releases in sequence, threading budget and history as a caller would persist them. */
function releaseAll(specs: { releaseId: string; rowSet: RowSet; epsilon?: string; queryKey?: string }[]): {
  budget: PrivacyBudget;
  history: ReleaseHistory;
} {
  let budget = createPrivacyBudget('contract-1', 1);
  let history: ReleaseHistory = [];
  for (const spec of specs) {
    const released = expectRelease(evaluateRelease(request({ budget, history, ...spec })));
    budget = released.newBudget;
    history = [...history, released.newHistoryEntry];
  }
  return { budget, history };
}

describe('evaluateRelease: release', () => {
  it('noises every value at the declared resolution and spends epsilon', () => {
    const input = request();
    const released = expectRelease(evaluateRelease(input));
    expect(released.noisedValues).toHaveLength(2);
    for (const value of released.noisedValues) expect(value).toMatch(/^-?\d+(\.\d{1,2})?$/);
    expect(released.resolution).toBe('0.01');
    expect(released.newBudget.spentMilliEpsilon).toBe(100);
    expect(released.newBudget.releases).toEqual([{ releaseId: 'release-1', milliEpsilon: 100 }]);
    expect(released.newHistoryEntry).toEqual({
      releaseId: 'release-1',
      queryKey: 'sum(salary)',
      rowSet: [[0, 100]],
      resolution: '0.01',
      noisedValues: released.noisedValues,
      milliEpsilon: 100,
    });
    expect(input.budget.spentMilliEpsilon).toBe(0);
    expect(JSON.parse(JSON.stringify(released.newHistoryEntry))).toEqual(released.newHistoryEntry);
  });

  it('is reproducible with a seeded source and actually adds noise', () => {
    const a = expectRelease(evaluateRelease(request({ random: createSha256DrbgRandomSource('s') })));
    const b = expectRelease(evaluateRelease(request({ random: createSha256DrbgRandomSource('s') })));
    expect(a.noisedValues).toEqual(b.noisedValues);
    const many = Array.from(
      { length: 20 },
      (_, i) =>
        expectRelease(evaluateRelease(request({ random: createSha256DrbgRandomSource(`s${i}`) })))
          .noisedValues[1],
    );
    expect(new Set(many).size).toBeGreaterThan(1);
  });

  it('uses node:crypto when no source is injected', () => {
    const released = expectRelease(evaluateRelease(request({ random: undefined, resolution: undefined })));
    for (const value of released.noisedValues) expect(value).toMatch(/^-?\d+$/);
  });

  it('calibrates the scale to (sensitivity / resolution) / epsilon, without a ceiling (variance within 5 SE)', () => {
    // Sensitivity 1.3 at resolution 0.5 is 2.6 units; at epsilon 0.5 the noise scale is 5.2 units of 0.5 (the
    // old per-value ceiling made it 6). The exact variance of the released law: Σ k² P[k].
    const random = createSha256DrbgRandomSource('calibration');
    const n = 4000;
    const noise = Array.from({ length: n }, () => {
      const released = expectRelease(
        evaluateRelease(
          request({ values: [0], sensitivity: '1.3', epsilon: '0.5', resolution: '0.5', random }),
        ),
      );
      return Number(released.noisedValues[0]) / 0.5;
    });
    const law = calibrateNoise(fixedPoint('0.5'), [0], '1.3', 500);
    let variance = 0;
    for (let k = -400; k <= 400; k++) variance += k * k * Math.exp(releasedUnitLogPmf(law, 0, BigInt(k)));
    expect(variance).toBeGreaterThan(2 * 5.2 ** 2);
    expect(variance).toBeLessThan(2 * 5.3 ** 2);
    const empirical = noise.reduce((acc, y) => acc + y * y, 0) / n;
    // Kurtosis of a Laplace law is about 6, so the standard error of the variance is about sigma^2 * sqrt(5 / n).
    expect(Math.abs(empirical - variance)).toBeLessThan(5 * variance * Math.sqrt(5 / n));
  });
});

describe('evaluateRelease: minimum rows (k = 10)', () => {
  it('refuses 9 rows', () => {
    const decision = evaluateRelease(request({ rowSet: rows(0, 9), random: noRandomness() }));
    expect(decision).toMatchObject({ decision: 'refuse', code: 'below_min_rows' });
  });

  it('allows exactly 10 rows', () => {
    expect(evaluateRelease(request({ rowSet: rows(0, 10) })).decision).toBe('release');
  });

  it('applies a contract k above the floor', () => {
    const strict = createOutputPolicy({ contractId: 'contract-1', minRows: 25 });
    expect(evaluateRelease(request({ policy: strict, rowSet: rows(0, 24) }))).toMatchObject({
      code: 'below_min_rows',
    });
    expect(evaluateRelease(request({ policy: strict, rowSet: rows(0, 25) })).decision).toBe('release');
  });
});

describe('evaluateRelease: epsilon budget', () => {
  it('refuses a release past the budget and allows spending it exactly', () => {
    const { budget, history } = releaseAll([{ releaseId: 'r1', rowSet: rows(0, 100), epsilon: '0.6' }]);
    const tooMuch = evaluateRelease(
      request({
        budget,
        history,
        releaseId: 'r2',
        rowSet: rows(200, 300),
        epsilon: '0.5',
        random: noRandomness(),
      }),
    );
    expect(tooMuch).toMatchObject({ decision: 'refuse', code: 'budget_exhausted' });
    expect(tooMuch.decision === 'refuse' && tooMuch.reason).toMatch(/0\.4 of 1 left/);

    const exact = expectRelease(
      evaluateRelease(request({ budget, history, releaseId: 'r2', rowSet: rows(200, 300), epsilon: '0.4' })),
    );
    expect(exact.newBudget.spentMilliEpsilon).toBe(1000);
    const after = evaluateRelease(
      request({
        budget: exact.newBudget,
        history: [...history, exact.newHistoryEntry],
        releaseId: 'r3',
        rowSet: rows(400, 500),
        epsilon: '0.001',
      }),
    );
    expect(after).toMatchObject({ decision: 'refuse', code: 'budget_exhausted' });
  });
});

describe('evaluateRelease: differencing', () => {
  const earlier = releaseAll([{ releaseId: 'all', rowSet: rows(0, 100) }]);
  const next = (rowSet: RowSet, queryKey = 'sum(salary)') =>
    evaluateRelease(
      request({ ...earlier, releaseId: 'next', rowSet, queryKey, random: createSha256DrbgRandomSource('d') }),
    );

  it('refuses a row set one row away (the classic "everyone but the victim" pair)', () => {
    expect(next(rows(0, 99))).toMatchObject({
      decision: 'refuse',
      code: 'differencing',
      conflictingReleaseId: 'all',
    });
    expect(next(rows(0, 101))).toMatchObject({ code: 'differencing' });
  });

  it('refuses k - 1 = 9 rows away, counting both sides of the symmetric difference', () => {
    expect(next(rows(0, 91))).toMatchObject({ code: 'differencing' });
    expect(next(rows(5, 104))).toMatchObject({ code: 'differencing' }); // 5 removed + 4 added
    expect(
      next(
        rowSetFromRanges([
          [0, 50],
          [51, 100],
          [100, 108],
        ]),
      ),
    ).toMatchObject({ code: 'differencing' }); // 1 + 8
  });

  it('allows neighbours k = 10 or more rows away', () => {
    expect(next(rows(0, 90)).decision).toBe('release');
    expect(next(rows(5, 105)).decision).toBe('release');
    expect(next(rows(100, 200)).decision).toBe('release');
  });

  it('applies across computations: a different query on a nearby row set is refused too', () => {
    expect(next(rows(0, 99), 'count(*)')).toMatchObject({ code: 'differencing' });
  });

  it('allows a different computation over identical rows (difference 0 singles out nobody)', () => {
    const other = expectRelease(next(rows(0, 100), 'avg(age)'));
    expect(other.newBudget.spentMilliEpsilon).toBe(200);
  });

  it('checks every earlier release, not only the last', () => {
    const two = releaseAll([
      { releaseId: 'a', rowSet: rows(0, 100) },
      { releaseId: 'b', rowSet: rows(500, 600) },
    ]);
    const decision = evaluateRelease(
      request({ ...two, releaseId: 'c', rowSet: rows(0, 97), random: noRandomness() }),
    );
    expect(decision).toMatchObject({ code: 'differencing', conflictingReleaseId: 'a' });
  });
});

describe('evaluateRelease: repeats', () => {
  it('returns the earlier noised values for the same computation over the same rows, spending nothing', () => {
    const first = expectRelease(evaluateRelease(request()));
    const again = evaluateRelease(
      request({
        budget: first.newBudget,
        history: [first.newHistoryEntry],
        releaseId: 'release-2',
        epsilon: '0.9',
        random: noRandomness(),
      }),
    );
    expect(again).toEqual({
      decision: 'repeat',
      releaseId: 'release-1',
      noisedValues: first.noisedValues,
      resolution: '0.01',
    });
  });

  it('serves a repeat even once the budget is exhausted', () => {
    const { budget, history } = releaseAll([{ releaseId: 'r1', rowSet: rows(0, 100), epsilon: '1' }]);
    const again = evaluateRelease(request({ budget, history, releaseId: 'r2', random: noRandomness() }));
    expect(again.decision).toBe('repeat');
  });
});

describe('evaluateRelease: invalid requests', () => {
  const cases: [string, Partial<ReleaseRequest>][] = [
    ['a policy below the k floor', { policy: { contractId: 'contract-1', minRows: 5 } }],
    ['a budget of another contract', { budget: createPrivacyBudget('contract-2', 1) }],
    [
      'an inconsistent budget',
      { budget: { contractId: 'contract-1', totalMilliEpsilon: 1000, spentMilliEpsilon: 10, releases: [] } },
    ],
    ['an empty releaseId', { releaseId: '' }],
    ['an empty queryKey', { queryKey: '' }],
    [
      'an unnormalised row set',
      {
        rowSet: [
          [0, 50],
          [50, 100],
        ],
      },
    ],
    ['no values', { values: [] }],
    ['a malformed value', { values: ['12,5'] }],
    ['epsilon finer than 0.001', { epsilon: '0.0005' }],
    ['zero epsilon', { epsilon: 0 }],
    ['zero sensitivity', { sensitivity: 0 }],
    ['a non-positive resolution', { resolution: '0' }],
  ];

  it.each(cases)('refuses %s without drawing noise', (_label, overrides) => {
    const decision = evaluateRelease(request({ ...overrides, random: noRandomness() }));
    expect(decision).toMatchObject({ decision: 'refuse', code: 'invalid_request' });
  });

  it('refuses a reused releaseId', () => {
    const { budget, history } = releaseAll([{ releaseId: 'r1', rowSet: rows(0, 100) }]);
    const decision = evaluateRelease(request({ budget, history, releaseId: 'r1', rowSet: rows(300, 400) }));
    expect(decision).toMatchObject({
      code: 'invalid_request',
      reason: expect.stringContaining('already used'),
    });
  });
});
