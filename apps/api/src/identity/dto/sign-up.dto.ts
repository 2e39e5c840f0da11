import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export class NewAccountDto {
  @ApiProperty({ example: 'alice', description: 'lowercase letters, digits, . _ -; 3–64 characters' })
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3–64 lowercase letters, digits, dots, dashes or underscores',
  })
  username!: string;

  @ApiProperty({ minLength: 12, maxLength: 200 })
  @IsString()
  @Length(12, 200, { message: 'password must be 12 to 200 characters' })
  password!: string;

  @ApiProperty({ example: 'Alice Zhang' })
  @IsString()
  @Length(1, 200)
  displayName!: string;
}

export class SignUpDto {
  @ApiProperty({ enum: ['organisation', 'person'] })
  @IsIn(['organisation', 'person'])
  kind!: 'organisation' | 'person';

  @ApiProperty({ example: '海东数据科技有限公司' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ required: false, description: 'unified social credit code (GB 32100), for an organisation' })
  @ValidateIf((o: SignUpDto) => o.kind === 'organisation')
  @IsString({ message: 'creditCode is required for an organisation' })
  @Length(18, 18, { message: 'creditCode must be 18 characters' })
  creditCode?: string;

  @ApiProperty({ required: false, description: 'resident ID number (GB 11643), for a natural person' })
  @ValidateIf((o: SignUpDto) => o.kind === 'person')
  @IsString({ message: 'idNumber is required for a person' })
  @Length(18, 18, { message: 'idNumber must be 18 characters' })
  idNumber?: string;

  @ApiProperty({ enum: ['merchant', 'buyer'], isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(2)
  @IsIn(['merchant', 'buyer'], { each: true, message: 'roles may contain merchant and buyer' })
  roles!: ('merchant' | 'buyer')[];

  @ApiProperty({
    required: false,
    default: 'CN',
    example: 'CN',
    pattern: '^[A-Z]{2}$',
    description:
      'ISO 3166-1 alpha-2 code of where the party is registered; CN is mainland China. Buyers registered ' +
      'elsewhere (HK, MO, TW included) cannot contract for important data or personal information (DS 38, DS 72)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}$/, {
    message: 'registeredIn must be an ISO 3166-1 alpha-2 code in capitals, such as CN or HK',
  })
  registeredIn?: string;

  @ApiProperty({ type: NewAccountDto })
  @IsObject({ message: 'admin must be an object with username, password and displayName' })
  @ValidateNested()
  @Type(() => NewAccountDto)
  admin!: NewAccountDto;
}

/** The account of an operator or regulator body: no password here, its holder sets one through the enrolment link. */
export class NewOverseerAdminDto {
  @ApiProperty({ example: 'reg-li', description: 'lowercase letters, digits, . _ -; 3–64 characters' })
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3–64 lowercase letters, digits, dots, dashes or underscores',
  })
  username!: string;

  @ApiProperty({ example: 'Li Wei' })
  @IsString()
  @Length(1, 200)
  displayName!: string;
}

export class NewOverseerDto {
  @ApiProperty({ example: '海东市数据局' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty()
  @IsString()
  @Length(18, 18, { message: 'creditCode must be 18 characters' })
  creditCode!: string;

  @ApiProperty({ enum: ['operator', 'regulator'] })
  @IsIn(['operator', 'regulator'])
  role!: 'operator' | 'regulator';

  @ApiProperty({
    type: NewOverseerAdminDto,
    description: 'no password: the person behind the account sets it through the one-time enrolment link',
  })
  @IsObject({ message: 'admin must be an object with username and displayName' })
  @ValidateNested()
  @Type(() => NewOverseerAdminDto)
  admin!: NewOverseerAdminDto;
}
