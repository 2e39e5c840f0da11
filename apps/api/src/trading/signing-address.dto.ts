import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export const SIGNATURE_PATTERN = /^0x(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/;

/** Proof of possession: the address and its key's personal signature over a challenge the exchange issued. */
export class RegisterSigningAddressDto {
  @ApiProperty({
    example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    description:
      'the address to sign contracts with (0x + 40 hex; mixed case must be a valid EIP-55 checksum)',
  })
  @IsString()
  @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'address must be 0x followed by 40 hex digits' })
  address!: string;

  @ApiProperty({
    example: '0x' + 'ab'.repeat(65),
    description:
      'EIP-191 personal signature (personal_sign, ethers `signMessage`) over the `message` of ' +
      'GET /v1/signing-address/challenge: 0x + 130 hex (or 128, EIP-2098 compact)',
  })
  @IsString()
  @Matches(SIGNATURE_PATTERN, { message: 'signature must be 0x followed by 130 (or 128) hex digits' })
  signature!: string;
}
