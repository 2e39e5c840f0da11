import { parseDecimal, type DecimalInput } from './decimal.codec.js';
import { mulRational, rational } from './rational.js';

/** ε is accounted in integer milli-units (1 = 0.001) so sums are exact; 1000 = ε of 1. */
export type MilliEpsilon = number;

export const MILLI_EPSILON_PER_EPSILON = 1000;

/**
 * Converts a decimal ε (e.g. `'0.25'`) to milli-ε. Throws RangeError unless ε is a multiple of 0.001 and the
 * result is a safe integer; a finer ε would be silently rounded otherwise, breaking exact accounting.
 */
export function toMilliEpsilon(epsilon: DecimalInput): MilliEpsilon {
  const milli = mulRational(parseDecimal(epsilon), rational(BigInt(MILLI_EPSILON_PER_EPSILON)));
  if (milli.den !== 1n) throw new RangeError(`epsilon must be a multiple of 0.001, got ${String(epsilon)}`);
  const value = Number(milli.num);
  if (!Number.isSafeInteger(value)) throw new RangeError(`epsilon out of range: ${String(epsilon)}`);
  return value;
}

/** Writes milli-ε back as a decimal string for messages and logs (`1250` → `'1.25'`). */
export function formatMilliEpsilon(milli: MilliEpsilon): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const frac = String(abs % MILLI_EPSILON_PER_EPSILON)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / MILLI_EPSILON_PER_EPSILON)}${frac ? `.${frac}` : ''}`;
}
