import { ApiProperty } from '@nestjs/swagger';

const ROLES = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'];

/** Who the caller is, as the API sees it. */
export class PrincipalResponse {
  @ApiProperty({ format: 'uuid' })
  accountId!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, description: 'roles in force (none until admitted)' })
  roles!: string[];

  @ApiProperty({ enum: ROLES, isArray: true, description: 'roles the credential may change things with' })
  writeRoles!: string[];

  @ApiProperty({ enum: ['session', 'token'] })
  via!: string;

  @ApiProperty({ description: 'false while an operator or regulator session still owes its TOTP' })
  secondFactorDone!: boolean;
}

export class LoginResponse {
  @ApiProperty({ description: 'the bearer session token' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty()
  secondFactorDone!: boolean;

  @ApiProperty({ type: PrincipalResponse })
  principal!: PrincipalResponse;
}

/** TOTP enrolment: the seed is shown once, for the authenticator app. */
export class TotpEnrolmentResponse {
  @ApiProperty({ description: 'base32 TOTP seed' })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/Data%20Exchange:alice?secret=…' })
  otpauthUri!: string;
}
