import { ApiProperty } from '@nestjs/swagger';

export class SigningChallengeResponse {
  @ApiProperty({
    description:
      'the exact text to sign with personal_sign (EIP-191): names the organisation, a random nonce and the expiry',
  })
  message!: string;

  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015',
    description: '32 hex digits, also in the message',
  })
  nonce!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'sign and send it back before then; each challenge registers at most one address, once',
  })
  expiresAt!: string;
}

/** The organisation's signing address; `address` null until it registered one. */
export class SigningAddressResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    description: 'checksummed (EIP-55); null until the organisation registered one',
  })
  address!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  registeredByAccountId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  registeredAt!: string | null;
}

export class SigningAddressRegistrationResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ example: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', description: 'checksummed (EIP-55)' })
  address!: string;

  @ApiProperty({ format: 'uuid' })
  registeredByAccountId!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  registeredAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the address this registration replaced' })
  previousAddress!: string | null;
}
