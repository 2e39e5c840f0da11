/** An exact rational `num / den` with `den > 0`, always in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Builds `num / den` in lowest terms. Precondition: `den !== 0n`. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('rational: zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export function addRational(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function mulRational(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

export function divRational(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError('rational: division by zero');
  return rational(a.num * b.den, a.den * b.num);
}

/** Floor division for bigints (the `/` operator truncates toward zero). Precondition: `d !== 0n`. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

export function floorRational(r: Rational): bigint {
  return floorDiv(r.num, r.den);
}

export function ceilRational(r: Rational): bigint {
  return -floorDiv(-r.num, r.den);
}

/** Rounds half up (toward +∞): floor(r + 1/2). Monotone and translation-equivariant by integers. */
export function roundHalfUpRational(r: Rational): bigint {
  return floorDiv(2n * r.num + r.den, 2n * r.den);
}

export function isInteger(r: Rational): boolean {
  return r.den === 1n;
}
