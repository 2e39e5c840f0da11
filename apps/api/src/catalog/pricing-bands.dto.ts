import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { Transform } from 'class-transformer';
import type { ValidationOptions } from 'class-validator';

/**
 * Money in JSON: whole fen, sent as a decimal string of digits ("150000") or as a JSON integer up to 2^53 − 1;
 * always answered as a string, since a bigint column holds more than a JSON number carries exactly.
 */
const FEN_TEXT = /^(0|[1-9][0-9]{0,17})$/;

export const isFen = (value: unknown): value is string | number =>
  (typeof value === 'string' && FEN_TEXT.test(value)) ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

export const IsFen = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isFen',
      validator: {
        validate: (value) => isFen(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a whole number of fen, 0 or more: a string of digits ("150000") ` +
          'or a JSON integer up to 9007199254740991',
      },
    },
    options,
  );

/** Read a validated fen value (`isFen`) as bigint. */
export const fenOf = (value: string | number): bigint => BigInt(value);

export const FEN_SCHEMA = {
  oneOf: [
    { type: 'string', pattern: FEN_TEXT.source },
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  ],
  example: '150000',
  description: 'whole fen: a string of digits, or a JSON integer up to 2^53 − 1',
};

export class NewPricingBandDto {
  @ApiProperty({
    example: 'transport',
    description: 'the data category the band prices (letters, digits, dot, dash, underscore)',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, {
    message: 'category is letters and digits, with dots, dashes and underscores inside',
  })
  category!: string;

  @ApiProperty(FEN_SCHEMA)
  @IsFen()
  minFen!: string | number;

  @ApiProperty(FEN_SCHEMA)
  @IsFen()
  maxFen!: string | number;

  @ApiProperty({ minimum: 0, maximum: 10_000, description: 'public-resource fee rate (DE 36), basis points' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  publicResourceFeeBasisPoints!: number;
}

export class PricingBandQueryDto {
  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiProperty({ required: false, description: 'true: also bands that were superseded' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  history?: boolean;
}
