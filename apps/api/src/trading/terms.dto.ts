import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { BILLING_UNITS, DELIVERY_MODES, type BillingUnit, type DeliveryMode } from '@app/compliance';
import { MAX_COMPUTATIONS, MAX_PERIOD_DAYS, type Terms, type TermsJson } from '@app/trading';
import { FEN_SCHEMA, IsFen, fenOf } from '../http/fen.validator.js';

const FEN_OUT = { type: String, pattern: '^(0|[1-9][0-9]*)$', example: '150000', description: 'whole fen' };

/** Terms as a party sends them (an application or a counter-offer). */
export class TermsDto {
  @ApiProperty({
    example: '交通规划：按路口评估早高峰拥堵',
    description: 'what the data is used for (DS 58)',
  })
  @IsString()
  @Length(1, 1000)
  purpose!: string;

  @ApiProperty({ type: [String], description: 'columns wanted (DS 35: no more than the listing offers)' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  columns!: string[];

  @ApiProperty({ type: [String], description: 'recipes wanted; empty for a file delivery' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  recipes!: string[];

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES)
  delivery!: DeliveryMode;

  @ApiProperty({ enum: BILLING_UNITS })
  @IsIn(BILLING_UNITS)
  billingUnit!: BillingUnit;

  @ApiProperty({
    ...FEN_SCHEMA,
    description: 'whole fen: the price of one computation (per-computation) or of the whole contract',
  })
  @IsFen()
  priceFen!: string | number;

  @ApiProperty({ minimum: 1, maximum: MAX_PERIOD_DAYS, description: 'period of use in days (DS 58)' })
  @IsInt()
  @Min(1)
  @Max(MAX_PERIOD_DAYS)
  periodDays!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_COMPUTATIONS,
    description: 'per-computation billing: how many computations are bought; null otherwise',
  })
  @ValidateIf((o: TermsDto) => o.billingUnit === 'per-computation' || o.computations !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_COMPUTATIONS)
  computations!: number | null;
}

/** A validated body's terms in the domain's form (money as bigint). */
export const termsOf = (dto: TermsDto): Terms => ({
  purpose: dto.purpose,
  columns: dto.columns,
  recipes: dto.recipes,
  delivery: dto.delivery,
  billingUnit: dto.billingUnit,
  priceFen: fenOf(dto.priceFen),
  periodDays: dto.periodDays,
  computations: dto.billingUnit === 'per-computation' ? dto.computations : null,
});

export class TermsResponse {
  @ApiProperty()
  purpose!: string;

  @ApiProperty({ type: [String] })
  columns!: string[];

  @ApiProperty({ type: [String] })
  recipes!: string[];

  @ApiProperty({ enum: DELIVERY_MODES })
  delivery!: string;

  @ApiProperty({ enum: BILLING_UNITS })
  billingUnit!: string;

  @ApiProperty(FEN_OUT)
  priceFen!: string;

  @ApiProperty()
  periodDays!: number;

  @ApiProperty({ type: Number, nullable: true })
  computations!: number | null;
}

export const termsView = (t: TermsJson): TermsResponse => ({
  ...t,
  columns: [...t.columns],
  recipes: [...t.recipes],
});

export { FEN_OUT };
