import { ApiProperty } from '@nestjs/swagger';

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'nightly export' })
  name!: string;

  @ApiProperty({ description: 'the first characters of the token, to recognise it; never the secret' })
  prefix!: string;

  @ApiProperty({ example: ['buyer:read'], isArray: true, type: String })
  scopes!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

/** A token just made: the only answer that carries its secret. */
export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'the bearer secret; shown in this response only' })
  token!: string;
}

export class ApiTokenListResponse {
  @ApiProperty({ type: [ApiTokenResponse] })
  tokens!: ApiTokenResponse[];
}
