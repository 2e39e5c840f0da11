import { rational, type Rational } from './rational.js';

/** A decimal quantity as the caller may write it: `'0.01'`, `0.01`, `1e-3`, `25n`. */
export type DecimalInput = string | number | bigint;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal into an exact rational. Numbers are read through their shortest round-trip string,
 * so `0.1` means one tenth, not the nearest binary double. Throws RangeError on malformed or non-finite input.
 */
export function parseDecimal(input: DecimalInput): Rational {
  if (typeof input === 'bigint') return rational(input);
  if (typeof input === 'number' && !Number.isFinite(input))
    throw new RangeError(`not a finite number: ${input}`);
  const text = String(input).trim();
  const match = DECIMAL.exec(text);
  const intPart = match?.[2] ?? '';
  const fracPart = match?.[3] ?? '';
  if (!match || intPart.length + fracPart.length === 0)
    throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  const exponent = BigInt(match[4] ?? '0') - BigInt(fracPart.length);
  // Guards against '1e999999999' allocating a gigantic bigint.
  if (exponent > 4096n || exponent < -4096n) throw new RangeError(`decimal exponent out of range: ${text}`);
  const digits = BigInt(intPart + fracPart || '0') * (match[1] === '-' ? -1n : 1n);
  return exponent >= 0n ? rational(digits * 10n ** exponent) : rational(digits, 10n ** -exponent);
}

/**
 * Writes a rational whose denominator divides a power of ten as an exact decimal string (`'-12.05'`).
 * Throws RangeError when the expansion does not terminate.
 */
export function formatDecimal(r: Rational): string {
  let den = r.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) [den, twos] = [den / 2n, twos + 1];
  while (den % 5n === 0n) [den, fives] = [den / 5n, fives + 1];
  if (den !== 1n) throw new RangeError('formatDecimal: non-terminating decimal');
  const places = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(places)) / r.den;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = places > 0 ? `.${digits.slice(digits.length - places)}` : '';
  return `${negative ? '-' : ''}${whole}${frac}`;
}
