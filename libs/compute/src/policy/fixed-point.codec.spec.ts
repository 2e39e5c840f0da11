import {
  fixedPoint,
  fromUnits,
  sensitivityUnits,
  toUnits,
  vectorSensitivityUnits,
} from './fixed-point.codec.js';

describe('fixed-point codec', () => {
  const cents = fixedPoint('0.01');

  it('scales by the resolution and rounds half up', () => {
    expect(toUnits(cents, 123.456)).toBe(12346n);
    expect(toUnits(cents, '123.455')).toBe(12346n);
    expect(toUnits(cents, '-0.005')).toBe(0n);
    expect(toUnits(cents, 10n)).toBe(1000n);
    expect(toUnits(fixedPoint('0.5'), '1.3')).toBe(3n);
  });

  it('writes units back as exact decimals', () => {
    expect(fromUnits(cents, 12346n)).toBe('123.46');
    expect(fromUnits(cents, -5n)).toBe('-0.05');
    expect(fromUnits(fixedPoint('0.5'), 3n)).toBe('1.5');
    expect(fromUnits(fixedPoint(1000), 3n)).toBe('3000');
  });

  it('expresses sensitivity as a ceiling in units', () => {
    expect(sensitivityUnits(cents, 1)).toBe(100n);
    expect(sensitivityUnits(cents, '0.015')).toBe(2n);
    expect(sensitivityUnits(fixedPoint(10), 1)).toBe(1n);
    expect(() => sensitivityUnits(cents, -1)).toThrow(RangeError);
  });

  it('keeps rounded neighbours within the unit sensitivity', () => {
    // |v - v'| <= Δ implies |round(v/r) - round(v'/r)| <= ceil(Δ/r): checked on a grid of awkward offsets.
    const r = fixedPoint('0.1');
    const delta = '0.25';
    const bound = sensitivityUnits(r, delta);
    for (let i = -50; i <= 50; i++) {
      const v = i * 0.037;
      const diff = toUnits(r, (v + 0.25).toFixed(6)) - toUnits(r, v.toFixed(6));
      expect(diff <= bound && diff >= -bound).toBe(true);
    }
  });

  it("rounds a vector by more than ceil(Δ/r): the issue's example moves 3 units, not 2", () => {
    const units = fixedPoint('1');
    const l1Units = (a: string[], b: string[]) =>
      a.reduce((acc, v, i) => {
        const diff = toUnits(units, v) - toUnits(units, b[i]);
        return acc + (diff < 0n ? -diff : diff);
      }, 0n);
    // L1 distance 1.5 in real terms.
    expect(l1Units(['0.5', '0.5', '0.5', '0.5'], ['0', '0', '0', '0.5'])).toBe(3n);
    expect(sensitivityUnits(units, '1.5')).toBe(2n);
    // The worst case, ceil(1.5) + 4 - 1 = 5: three coordinates nudged across .5 and the rest on one coordinate.
    const worst = l1Units(['0.49', '0.49', '0.49', '0.49'], ['0.5', '0.5', '0.5', '1.96']);
    expect(worst).toBe(5n);
    expect(vectorSensitivityUnits(units, '1.5', 4)).toBe(worst);
  });

  it('bounds the rounded L1 change of any vector by ceil(Δ/r) + d - 1 (exhaustive on a small grid)', () => {
    // Pairs of values on a 0.1 grid, resolution 1, Δ = 1.3: every pair of vectors within L1 1.3 stays within
    // the bound of 2 + 1 = 3 units, and some pair reaches it.
    const r = fixedPoint('1');
    const bound = Number(vectorSensitivityUnits(r, '1.3', 2));
    expect(bound).toBe(3);
    // toUnits of t/10 for t in [-13, 22]; starts in [0, 1) cover every case, since rounding commutes with
    // integer shifts.
    const units = Array.from({ length: 36 }, (_, i) => Number(toUnits(r, `${(i - 13) / 10}`)));
    const at = (tenths: number) => units[tenths + 13];
    let reached = 0;
    let violations = 0;
    for (let a = 0; a < 10; a++)
      for (let b = 0; b < 10; b++)
        for (let da = -13; da <= 13; da++)
          for (let db = Math.abs(da) - 13; db <= 13 - Math.abs(da); db++) {
            const moved = Math.abs(at(a + da) - at(a)) + Math.abs(at(b + db) - at(b));
            if (moved > bound) violations++;
            reached = Math.max(reached, moved);
          }
    expect(violations).toBe(0);
    expect(reached).toBe(bound);
  });

  it('rejects a zero sensitivity or dimension for vectors', () => {
    expect(() => vectorSensitivityUnits(cents, 0, 2)).toThrow(RangeError);
    expect(() => vectorSensitivityUnits(cents, 1, 0)).toThrow(RangeError);
  });

  it('rejects a non-positive resolution', () => {
    expect(() => fixedPoint(0)).toThrow(RangeError);
    expect(() => fixedPoint('-0.01')).toThrow(RangeError);
  });
});
