import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** A buyer's HPKE (RFC 9180) public key: the raw 32-byte X25519 key, base64url without padding. */
export class RegisterResultKeyDto {
  @ApiProperty({
    example: 'OUjP4K0d22ldeA5ZB3GV2mxWUGsCcyl5SrArsoCBXE0',
    description: 'the raw 32-byte X25519 public key, base64url without padding (43 characters)',
  })
  @IsString()
  @Length(43, 43, { message: 'publicKey must be 43 characters: base64url of 32 bytes without padding' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'publicKey must be base64url (A–Z a–z 0–9 - _), without padding' })
  publicKey!: string;
}
