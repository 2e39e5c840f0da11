import { SettlementError } from './settlement-error.js';

/** The largest amount one transfer may move: 10^15 fen (10 trillion yuan), far inside a bigint column. */
export const MAX_TRANSFER_FEN = 10n ** 15n;

/** Basis points in a whole: 10,000 (100%). */
export const WHOLE_BASIS_POINTS = 10_000;

/** Precondition for every movement: a whole, positive number of fen no larger than MAX_TRANSFER_FEN. */
export function requireAmount(amount: bigint, what = 'amount'): bigint {
  if (typeof amount !== 'bigint' || amount <= 0n || amount > MAX_TRANSFER_FEN) {
    throw new SettlementError(
      'invalid',
      'invalid_amount',
      `${what} must be a whole number of fen from 1 to ${MAX_TRANSFER_FEN}`,
    );
  }
  return amount;
}

const FEN_TEXT = /^(0|[1-9][0-9]{0,17})$/;

/** Reads fen written as a decimal string (how money travels in JSON here); undefined when it is not one. */
export function parseFen(text: string): bigint | undefined {
  return FEN_TEXT.test(text) ? BigInt(text) : undefined;
}
