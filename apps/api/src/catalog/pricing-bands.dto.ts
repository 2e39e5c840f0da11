import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { FEN_SCHEMA, IsFen } from '../http/fen.validator.js';

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
