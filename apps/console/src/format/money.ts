/**
 * Money is integer fen (分) everywhere: the API sends it as a decimal string or a safe integer, the console keeps it
 * as a bigint and never divides it in floating point.
 */
export type Fen = bigint;

export function toFen(value: string | number | bigint): Fen {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of fen: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`not a whole number of fen: ${value}`);
  return BigInt(value);
}

/** ¥1,234.56 for 123456 fen, grouped by the locale. */
export function formatYuan(fen: string | number | bigint, locale: string): string {
  const value = toFen(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = new Intl.NumberFormat(locale).format(abs / 100n);
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/** Parses what a person types as yuan ("12", "12.5", "12.50") into fen; null when it is not an amount. */
export function parseYuan(text: string): Fen | null {
  const match = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}
