import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { VALUATION_METHODS, type ValuationMethod } from '@app/assets';
import { FEN_SCHEMA, IsFen } from '../../http/fen.validator.js';
import { RightDto, UpdateAssetDto } from './asset.dto.js';

export class FactChangesDto extends OmitType(UpdateAssetDto, ['rights'] as const) {}

export class ChangeRequestDto {
  @ApiProperty({ type: FactChangesDto, description: 'the fields that change; rights move by a transfer' })
  @IsObject({ message: 'changes must be an object of the registration fields that change' })
  @ValidateNested()
  @Type(() => FactChangesDto)
  changes!: FactChangesDto;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class TransferRequestDto {
  @ApiProperty({ type: [RightDto], description: 'the new holders and shares of all three rights (DE 35)' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => RightDto)
  rights!: RightDto[];

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ValuationDto {
  @ApiProperty({ enum: VALUATION_METHODS })
  @IsIn(VALUATION_METHODS)
  method!: ValuationMethod;

  @ApiProperty({ ...FEN_SCHEMA, example: '1250000000' })
  @IsFen()
  valueFen!: string | number;

  @ApiProperty({ example: '2026-11-30' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'valuedOn must be a date YYYY-MM-DD' })
  valuedOn!: string;

  @ApiProperty({ description: 'SHA-256 of the report file, 64 lowercase hex digits' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'reportSha256 must be 64 lowercase hex digits' })
  reportSha256!: string;
}

export class RoleGrantDto {
  @ApiProperty({ enum: ['assessor'], description: 'a role the operator grants (the assessor of DE 42)' })
  @IsIn(['assessor'])
  role!: 'assessor';
}
