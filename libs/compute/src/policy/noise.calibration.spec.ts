import { formatDecimal, parseDecimal } from './decimal.codec.js';
import { fixedPoint, fromUnits } from './fixed-point.codec.js';
import { calibrateNoise, sampleCalibratedRelease } from './noise.calibration.js';
import { createOutputPolicy } from './output-policy.js';
import { createPrivacyBudget } from './privacy-budget.js';
import { releasedUnitLogPmf } from './privacy-loss.stat.js';
import { ceilRational, divRational, mulRational, rational } from './rational.js';
import { evaluateRelease } from './release.evaluator.js';
import { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';
import { chiSquareTest } from './testing/chi-square.stat.js';

describe('calibrateNoise', () => {
  const shapes: [dimension: number, sensitivity: string, resolution: string][] = [
    [1, '1', '1'],
    [1, '1.5', '1'],
    [4, '1.5', '1'],
    [3, '0.003', '0.01'],
    [53, '250', '0.01'],
    [2, '10000', '0.5'],
  ];

  it.each(shapes)(
    'd = %i, Δ = %s, r = %s: noise scale within 0.1%% of the unrounded Δ/ε, whatever d',
    (dimension, sensitivity, resolution) => {
      const fp = fixedPoint(resolution);
      const calibration = calibrateNoise(fp, new Array<string>(dimension).fill('0'), sensitivity, 500);
      const ideal = divRational(parseDecimal(sensitivity), fp.resolution); // Δ/r
      const idealUnits = Number(ideal.num) / Number(ideal.den);
      // Scale in output units = L / (m·ε); ideal = (Δ/r)/ε. ε = 0.5 here.
      const scaleUnits =
        Number(calibration.scale.num) / Number(calibration.scale.den) / Number(calibration.finePerUnit);
      expect(scaleUnits).toBeGreaterThanOrEqual(idealUnits / 0.5);
      expect(scaleUnits).toBeLessThan((idealUnits / 0.5) * 1.001);
      // L really is ceil(m·Δ/r) + d - 1 fine units.
      expect(calibration.sensitivityFineUnits).toBe(
        ceilRational(mulRational(rational(calibration.finePerUnit), ideal)) + BigInt(dimension) - 1n,
      );
      expect(String(calibration.finePerUnit)).toMatch(/^10*$/);
    },
  );

  it('centres every value on the fine grid within half a fine unit', () => {
    const fp = fixedPoint('0.01');
    const values = ['1234.5678', '-0.004999', '17', '0.015'];
    const calibration = calibrateNoise(fp, values, '2', 1000);
    const m = calibration.finePerUnit;
    calibration.centres.forEach((centre, i) => {
      const exact = divRational(rational(BigInt(Math.round(Number(values[i]) * 1e6))), rational(10_000n));
      // |centre - v·m/r| <= 1/2, i.e. |2·centre·den - 2·num·m| <= den.
      const gap = 2n * centre * exact.den - 2n * exact.num * m;
      expect(gap <= exact.den && gap >= -exact.den).toBe(true);
    });
  });

  it('is what evaluateRelease samples (same seed, same released values)', () => {
    const values = ['0.3', '-1.7', '12.25'];
    const fp = fixedPoint('0.5');
    const released = evaluateRelease({
      policy: createOutputPolicy({ contractId: 'c' }),
      budget: createPrivacyBudget('c', 1),
      history: [],
      releaseId: 'r1',
      queryKey: 'q',
      rowSet: [[0, 100]],
      values,
      sensitivity: '1.5',
      epsilon: '0.25',
      resolution: '0.5',
      random: createSha256DrbgRandomSource('tie'),
    });
    const direct = sampleCalibratedRelease(
      calibrateNoise(fp, values, '1.5', 250),
      createSha256DrbgRandomSource('tie'),
    ).map((units) => fromUnits(fp, units));
    expect(released.decision === 'release' && released.noisedValues).toEqual(direct);
  });

  it('samples the exact law that the privacy-loss audit assumes (chi-square, p > 0.001)', () => {
    // The shape: 4 values at resolution 1 with Δ = 1.5, ε = 1; two coordinates checked.
    const calibration = calibrateNoise(fixedPoint('1'), ['0.5', '0.5', '0', '-3.25'], '1.5', 1000);
    const random = createSha256DrbgRandomSource('law');
    const n = 20_000;
    const draws = Array.from({ length: n }, () => sampleCalibratedRelease(calibration, random));
    for (const index of [0, 3]) {
      const centre = Math.round(Number(calibration.centres[index]) / Number(calibration.finePerUnit));
      const ks = Array.from({ length: 21 }, (_, i) => BigInt(centre - 10 + i));
      const probabilities = ks.map((k) => Math.exp(releasedUnitLogPmf(calibration, index, k)));
      const observed = ks.map((k) => draws.filter((d) => d[index] === k).length);
      // Pool both tails into one bin so the bins cover every outcome.
      observed.push(n - observed.reduce((a, b) => a + b, 0));
      probabilities.push(1 - probabilities.reduce((a, b) => a + b, 0));
      expect(probabilities.at(-1)! * n).toBeGreaterThan(5);
      expect(chiSquareTest(observed, probabilities).pValue).toBeGreaterThan(0.001);
    }
  });

  it('rejects an empty vector, a zero sensitivity and a non-positive epsilon', () => {
    const fp = fixedPoint('1');
    expect(() => calibrateNoise(fp, [], '1', 1000)).toThrow(RangeError);
    expect(() => calibrateNoise(fp, ['1'], '0', 1000)).toThrow(RangeError);
    expect(() => calibrateNoise(fp, ['1'], '1', 0)).toThrow(RangeError);
    expect(formatDecimal(calibrateNoise(fp, ['1'], '1', 1).resolution)).toBe('1');
  });
});
