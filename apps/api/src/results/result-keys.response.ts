import { ApiProperty } from '@nestjs/swagger';

/** An organisation's registered result key: public, what released results are sealed to. */
export class ResultKeyResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({
    example: 'OUjP4K0d22ldeA5ZB3GV2mxWUGsCcyl5SrArsoCBXE0',
    description: 'the raw 32-byte X25519 public key, base64url without padding',
  })
  publicKey!: string;

  @ApiProperty({
    example: 'x25519:' + '0'.repeat(64),
    description: '`x25519:` and the SHA-256 (hex) of the raw key; every result sealed to it names it',
  })
  keyId!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  registeredAt!: string;
}

export class ResultKeyRegistrationResponse extends ResultKeyResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'the key this registration replaced; null when it replaced none (the first, or the same again)',
  })
  previousKeyId!: string | null;
}

/** The caller's organisation's result key; the key's fields are null until it registered one. */
export class OwnResultKeyResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the raw 32-byte X25519 public key, base64url; null until the organisation registered one',
  })
  publicKey!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '`x25519:` and the SHA-256 (hex) of the raw key',
  })
  keyId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  registeredAt!: string | null;
}
