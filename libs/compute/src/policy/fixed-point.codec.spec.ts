import { fixedPoint, fromUnits, sensitivityUnits, toUnits } from './fixed-point.codec.js';

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

  it('rejects a non-positive resolution', () => {
    expect(() => fixedPoint(0)).toThrow(RangeError);
    expect(() => fixedPoint('-0.01')).toThrow(RangeError);
  });
});
