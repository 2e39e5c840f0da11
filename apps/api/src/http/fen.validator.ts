import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Money in JSON, the same on every route: whole fen, sent as a decimal string of digits ("150000") or as a JSON
 * integer up to 2^53 − 1, and always answered as a string, since a bigint column holds more than a JSON number
 * carries exactly. A fraction, a sign, an exponent or a float is refused at the edge.
 */
const FEN_TEXT = /^(0|[1-9][0-9]{0,17})$/;

export const isFen = (value: unknown, minimum = 0): value is string | number =>
  ((typeof value === 'string' && FEN_TEXT.test(value)) ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) &&
  BigInt(value) >= BigInt(minimum);

/** Validates a fen amount of at least `minimum` (0 for prices, 1 for money movements). */
export const IsFen = (options?: ValidationOptions & { minimum?: 0 | 1 }): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isFen',
      validator: {
        validate: (value) => isFen(value, options?.minimum ?? 0),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a whole number of fen, ${options?.minimum ?? 0} or more: a string of ` +
          'digits ("150000") or a JSON integer up to 9007199254740991',
      },
    },
    options,
  );

/** Read a validated fen value (`isFen`) as bigint. */
export const fenOf = (value: string | number): bigint => BigInt(value);

/** The OpenAPI schema of a fen amount in a request. */
export const fenSchema = (
  minimum: 0 | 1 = 0,
  description = 'whole fen: a string of digits, or a JSON integer up to 2^53 − 1',
) => ({
  oneOf: [
    { type: 'string', pattern: minimum === 0 ? FEN_TEXT.source : '^[1-9][0-9]{0,17}$' },
    { type: 'integer', minimum, maximum: Number.MAX_SAFE_INTEGER },
  ],
  example: '150000',
  description,
});

export const FEN_SCHEMA = fenSchema();
