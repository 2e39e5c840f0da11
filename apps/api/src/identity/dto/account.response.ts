import { ApiProperty } from '@nestjs/swagger';

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ example: 'Alice Zhang' })
  displayName!: string;

  @ApiProperty({ description: 'may add accounts to its organisation' })
  organisationAdmin!: boolean;

  @ApiProperty()
  totpEnabled!: boolean;
}

export class AccountListResponse {
  @ApiProperty({ type: [AccountResponse] })
  accounts!: AccountResponse[];
}
