import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CONTRACT_STATES, type ContractState } from '@app/trading';
import { SIGNATURE_PATTERN } from './signing-address.dto.js';
import { PageQueryDto } from '../http/page-query.dto.js';

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

export class ContractQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: CONTRACT_STATES })
  @IsOptional()
  @IsIn(CONTRACT_STATES)
  state?: ContractState;
}
