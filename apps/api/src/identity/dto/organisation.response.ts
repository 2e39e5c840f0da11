import { ApiProperty } from '@nestjs/swagger';
import { AccountResponse } from './account.response.js';

const ROLES = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'];

export class OrganisationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['organisation', 'person'] })
  kind!: string;

  @ApiProperty({ example: '海东数据科技有限公司' })
  name!: string;

  @ApiProperty({ description: 'credit code, or a person’s ID number masked for display' })
  identifier!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: string[];

  @ApiProperty({
    example: 'CN',
    pattern: '^[A-Z]{2}$',
    description: 'ISO 3166-1 alpha-2 code of where it is registered; CN is mainland China (DS 38, DS 72)',
  })
  registeredIn!: string;

  @ApiProperty({ enum: ['pending', 'admitted', 'rejected', 'suspended'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the operator’s reason for the last decision' })
  statusReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class OrganisationListResponse {
  @ApiProperty({ type: [OrganisationResponse] })
  organisations!: OrganisationResponse[];
}

/** A new organisation (or overseer body) and its first, admin, account. */
export class SignUpResponse {
  @ApiProperty({ type: OrganisationResponse })
  organisation!: OrganisationResponse;

  @ApiProperty({ type: AccountResponse })
  account!: AccountResponse;
}
