import { ApiProperty } from '@nestjs/swagger';
import { IsFen, fenSchema } from '../../http/fen.validator.js';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

/** An amount moved: whole fen from 1 to 10^15 (the settlement core refuses more), as every route takes money. */
const AMOUNT_SCHEMA = fenSchema(
  1,
  'whole fen from 1 to 10^15: a string of digits ("10000" is 100.00 yuan) or a JSON integer',
);

export class DepositDto {
  @ApiProperty({ format: 'uuid', description: 'the organisation whose available account is credited' })
  @IsUUID('all', { message: '$property must be a UUID' })
  organisationId!: string;

  @ApiProperty(AMOUNT_SCHEMA)
  @IsFen({ minimum: 1 })
  amountFen!: string | number;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid', description: 'the organisation paid out' })
  @IsUUID('all', { message: '$property must be a UUID' })
  organisationId!: string;

  @ApiProperty(AMOUNT_SCHEMA)
  @IsFen({ minimum: 1 })
  amountFen!: string | number;

  @ApiProperty({
    required: false,
    enum: ['available', 'receivable'],
    default: 'available',
    description: 'which of its accounts pays: its funds, or its proceeds from sales',
  })
  @IsOptional()
  @IsIn(['available', 'receivable'])
  from?: 'available' | 'receivable';
}
