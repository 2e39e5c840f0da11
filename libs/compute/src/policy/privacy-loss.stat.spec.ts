import { fixedPoint } from './fixed-point.codec.js';
import { calibrateNoise, type NoiseCalibration } from './noise.calibration.js';
import { maxPrivacyLoss, releasedUnitLogPmf } from './privacy-loss.stat.js';
import { rational } from './rational.js';

/** P[round((c + Y)/m) = k] for every k, by brute force over the fine values z = c + Y within ±20000 of c. */
function bruteForcePmf(calibration: NoiseCalibration, index: number): Map<number, number> {
  const m = Number(calibration.finePerUnit);
  const c = Number(calibration.centres[index]);
  const q = Math.exp(-Number(calibration.scale.den) / Number(calibration.scale.num));
  const pmf = new Map<number, number>();
  for (let z = c - 20_000; z <= c + 20_000; z++) {
    const k = Math.floor(z / m + 0.5);
    pmf.set(k, (pmf.get(k) ?? 0) + ((1 - q) / (1 + q)) * q ** Math.abs(z - c));
  }
  return pmf;
}

function handMade(centres: bigint[], finePerUnit: bigint, scale: bigint): NoiseCalibration {
  return {
    resolution: rational(1n),
    finePerUnit,
    centres,
    sensitivityFineUnits: scale,
    scale: rational(scale),
    milliEpsilon: 1000,
  };
}

describe('releasedUnitLogPmf', () => {
  it('matches a brute-force sum over the fine values, and sums to 1', () => {
    const calibration = handMade([37n, -5n, 0n], 10n, 24n);
    for (const index of [0, 1, 2]) {
      const brute = bruteForcePmf(calibration, index);
      let total = 0;
      for (let k = -100; k <= 100; k++) {
        const exact = Math.exp(releasedUnitLogPmf(calibration, index, BigInt(k)));
        expect(exact).toBeCloseTo(brute.get(k) ?? 0, 12);
        total += exact;
      }
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('stays finite far in the tails', () => {
    const calibration = handMade([0n], 1000n, 3n);
    expect(Number.isFinite(releasedUnitLogPmf(calibration, 0, 10n ** 6n))).toBe(true);
    expect(releasedUnitLogPmf(calibration, 0, 10n ** 6n)).toBeLessThan(-1e8);
  });
});

describe('maxPrivacyLoss', () => {
  it('is |c - c′|₁ / scale for plain discrete Laplace (m = 1) and symmetric', () => {
    const a = handMade([0n, 5n], 1n, 4n);
    const b = handMade([3n, 4n], 1n, 4n);
    expect(maxPrivacyLoss(a, b)).toBeCloseTo(4 / 4, 12);
    expect(maxPrivacyLoss(b, a)).toBeCloseTo(1, 12);
    expect(maxPrivacyLoss(a, a)).toBe(0);
  });

  it('equals the fine-grid loss: rounding to the output grid cannot hide the tails', () => {
    const a = handMade([0n, 0n], 10n, 20n);
    const b = handMade([7n, -13n], 10n, 20n);
    expect(maxPrivacyLoss(a, b)).toBeCloseTo(20 / 20, 12);
  });

  it('refuses to compare different mechanisms', () => {
    const fp = fixedPoint('1');
    expect(() =>
      maxPrivacyLoss(calibrateNoise(fp, ['1'], '1', 1000), calibrateNoise(fp, ['1'], '1', 500)),
    ).toThrow(RangeError);
    expect(() =>
      maxPrivacyLoss(calibrateNoise(fp, ['1'], '1', 1000), calibrateNoise(fp, ['1', '2'], '1', 1000)),
    ).toThrow(RangeError);
  });
});
