import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

/**
 * Money in JSON is a whole number of fen written as a decimal string ("10000" is 100.00 yuan), in requests and
 * responses alike: a string survives every JSON parser exactly, where a number above 2^53 would not.
 */
export const FEN_STRING = /^[1-9][0-9]{0,15}$/;
const FEN_MESSAGE =
  '$property must be a whole number of fen from 1 to 1000000000000000 written as a decimal string, e.g. "10000"';

export class DepositDto {
  @ApiProperty({ format: 'uuid', description: 'the organisation whose available account is credited' })
  @IsUUID('all', { message: '$property must be a UUID' })
  organisationId!: string;

  @ApiProperty({ example: '10000', pattern: FEN_STRING.source, description: 'fen, as a decimal string' })
  @IsString()
  @Matches(FEN_STRING, { message: FEN_MESSAGE })
  amountFen!: string;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid', description: 'the organisation paid out' })
  @IsUUID('all', { message: '$property must be a UUID' })
  organisationId!: string;

  @ApiProperty({ example: '10000', pattern: FEN_STRING.source, description: 'fen, as a decimal string' })
  @IsString()
  @Matches(FEN_STRING, { message: FEN_MESSAGE })
  amountFen!: string;

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
