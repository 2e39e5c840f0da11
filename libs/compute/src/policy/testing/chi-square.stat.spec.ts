import { chiSquarePValue, chiSquareTest, logGamma } from './chi-square.stat.js';

describe('chi-square statistics (test support)', () => {
  it('matches tabulated chi-square critical values', () => {
    expect(chiSquarePValue(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(43.772972, 30)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(10.827566, 1)).toBeCloseTo(0.001, 6);
    expect(chiSquarePValue(2, 2)).toBeCloseTo(Math.exp(-1), 10);
  });

  it('computes log-gamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  it('accepts matching counts and rejects mismatched ones', () => {
    expect(chiSquareTest([250, 250, 500], [0.25, 0.25, 0.5]).pValue).toBeCloseTo(1, 10);
    expect(chiSquareTest([400, 100, 500], [0.25, 0.25, 0.5]).pValue).toBeLessThan(1e-10);
  });
});
