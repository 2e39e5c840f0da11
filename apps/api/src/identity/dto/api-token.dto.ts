import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'nightly export' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    example: ['buyer:read'],
    description: '<role>:read or <role>:write, within the organisation roles',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(8)
  @Matches(/^(merchant|buyer|operator|regulator|assessor):(read|write)$/, {
    each: true,
    message: 'each scope must be <role>:read or <role>:write',
  })
  scopes!: string[];

  @ApiProperty({ required: false, minimum: 1, maximum: 366 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  expiresInDays?: number;
}
