import { formatDecimal, parseDecimal } from './decimal.codec.js';
import { ceilRational, floorDiv, rational, roundHalfUpRational } from './rational.js';

describe('parseDecimal', () => {
  it('reads strings, numbers and bigints exactly', () => {
    expect(parseDecimal('0.01')).toEqual(rational(1n, 100n));
    expect(parseDecimal(0.1)).toEqual(rational(1n, 10n));
    expect(parseDecimal(1e-7)).toEqual(rational(1n, 10_000_000n));
    expect(parseDecimal('-12.50')).toEqual(rational(-25n, 2n));
    expect(parseDecimal('.5')).toEqual(rational(1n, 2n));
    expect(parseDecimal('2.5e3')).toEqual(rational(2500n));
    expect(parseDecimal(42n)).toEqual(rational(42n));
  });

  it('rejects malformed and non-finite input', () => {
    for (const bad of ['', '.', 'abc', '1.2.3', '1e', '0x10', '1e99999']) {
      expect(() => parseDecimal(bad)).toThrow(RangeError);
    }
    expect(() => parseDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => parseDecimal(Infinity)).toThrow(RangeError);
  });
});

describe('formatDecimal', () => {
  it('writes terminating decimals exactly', () => {
    expect(formatDecimal(rational(-1205n, 100n))).toBe('-12.05');
    expect(formatDecimal(rational(3n, 8n))).toBe('0.375');
    expect(formatDecimal(rational(7n))).toBe('7');
    expect(formatDecimal(rational(-1n, 1000n))).toBe('-0.001');
  });

  it('refuses non-terminating expansions', () => {
    expect(() => formatDecimal(rational(1n, 3n))).toThrow(RangeError);
  });
});

describe('rational rounding', () => {
  it('floors, ceils and rounds half up, including negatives', () => {
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(floorDiv(7n, -2n)).toBe(-4n);
    expect(floorDiv(6n, 3n)).toBe(2n);
    expect(ceilRational(rational(7n, 2n))).toBe(4n);
    expect(ceilRational(rational(-7n, 2n))).toBe(-3n);
    expect(roundHalfUpRational(rational(5n, 2n))).toBe(3n);
    expect(roundHalfUpRational(rational(-5n, 2n))).toBe(-2n);
    expect(roundHalfUpRational(rational(-26n, 10n))).toBe(-3n);
  });

  it('normalises signs and rejects a zero denominator', () => {
    expect(rational(2n, -4n)).toEqual({ num: -1n, den: 2n });
    expect(rational(0n, 5n)).toEqual({ num: 0n, den: 1n });
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });
});
