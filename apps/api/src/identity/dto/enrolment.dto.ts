import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { AccountResponse } from './account.response.js';
import { OrganisationResponse } from './organisation.response.js';

export class RedeemEnrolmentDto {
  @ApiProperty({ description: 'the one-time enrolment token the operator handed over (dxe_…)' })
  @Matches(/^dxe_[A-Za-z0-9_-]{43}$/, { message: 'token must be the dxe_… enrolment token' })
  token!: string;

  @ApiProperty({ minLength: 12, maxLength: 200, description: 'the password you choose' })
  @IsString()
  @Length(12, 200, { message: 'password must be 12 to 200 characters' })
  password!: string;
}

export class EnrolmentRedeemedDto {
  @ApiProperty()
  accountId!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ example: 'sign in with this password, then enrol TOTP: POST /v1/auth/totp' })
  next!: string;
}

export class EnrolmentLinkDto {
  @ApiProperty({ description: 'one-time enrolment token, shown only in this response (dxe_…)' })
  token!: string;

  @ApiProperty({ description: 'the token is refused after this time (ISO 8601)' })
  expiresAt!: string;

  @ApiProperty({ example: 'POST /v1/auth/enrolment with {token, password}' })
  redeem!: string;
}

export class OverseerRegisteredDto {
  @ApiProperty({ type: OrganisationResponse })
  organisation!: OrganisationResponse;

  @ApiProperty({ type: AccountResponse })
  account!: AccountResponse;

  @ApiProperty({
    type: EnrolmentLinkDto,
    description:
      "hand it to the account's holder by a separate channel; the operator never sets the password",
  })
  enrolment!: EnrolmentLinkDto;
}
