import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CONTRACT_STATES, type ContractState } from '@app/trading';
import { SIGNATURE_PATTERN } from './signing-address.dto.js';

export class ContractSignatureDto {
  @ApiProperty({
    example: '0x' + 'ab'.repeat(65),
    description:
      'the EIP-712 signature (eth_signTypedData_v4, ethers `signTypedData`) over the contract’s `typedData`, ' +
      'made with the key of the organisation’s registered signing address: 0x + 130 hex (or 128, EIP-2098)',
  })
  @IsString()
  @Matches(SIGNATURE_PATTERN, { message: 'signature must be 0x followed by 130 (or 128) hex digits' })
  signature!: string;
}

export class ContractQueryDto {
  @ApiProperty({ required: false, enum: CONTRACT_STATES })
  @IsOptional()
  @IsIn(CONTRACT_STATES)
  state?: ContractState;

  @ApiProperty({ required: false, description: 'the `next` cursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'after is a cursor this API returned' })
  after?: string;

  @ApiProperty({ required: false, default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
