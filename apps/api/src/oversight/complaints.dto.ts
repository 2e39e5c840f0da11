import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_OUTCOMES,
  COMPLAINT_STATES,
  COMPLAINT_SUBJECT_KINDS,
  type ComplaintCategory,
  type ComplaintOutcome,
  type ComplaintState,
  type ComplaintSubjectKind,
} from '@app/oversight/core';
import { PageQueryDto } from '../http/page-query.dto.js';

export class NewComplaintDto {
  @ApiProperty({ enum: COMPLAINT_CATEGORIES, description: 'what kind of violation is suspected' })
  @IsIn(COMPLAINT_CATEGORIES)
  category!: ComplaintCategory;

  @ApiProperty({
    enum: COMPLAINT_SUBJECT_KINDS,
    required: false,
    nullable: true,
    description: 'what the complaint is about, if anything in particular (with subjectId)',
  })
  @ValidateIf((o: NewComplaintDto) => (o.subjectKind ?? null) !== null || (o.subjectId ?? null) !== null)
  @IsIn(COMPLAINT_SUBJECT_KINDS, { message: 'subjectKind must be one of listing, organisation, contract' })
  subjectKind?: ComplaintSubjectKind | null;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    format: 'uuid',
    description: 'the listing, organisation or contract',
  })
  @ValidateIf((o: NewComplaintDto) => (o.subjectKind ?? null) !== null || (o.subjectId ?? null) !== null)
  @IsUUID('all', { message: 'subjectId must be a UUID (given with subjectKind)' })
  subjectId?: string | null;

  @ApiProperty({
    description: 'what happened (1 to 8000 characters)',
    example: '该挂牌数据含未脱敏的手机号。',
  })
  @IsString()
  @Length(1, 8000)
  statement!: string;

  @ApiProperty({
    type: [String],
    required: false,
    description: 'SHA-256 of evidence kept elsewhere: 0x + 64 hex each, at most 20',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^0x[0-9a-fA-F]{64}$/, {
    each: true,
    message: 'each evidence hash is 0x followed by 64 hex digits',
  })
  evidenceHashes?: string[];

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    description:
      'how the handlers may reach the reporter (at most 200 characters); never shown to the reported',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  contact?: string | null;
}

export class ReceiptLookupDto {
  @ApiProperty({ example: 'DXC-7K2QF-M9XPA-0RT4B-H8CWN', description: 'the receipt code given at filing' })
  @IsString()
  @Length(1, 64)
  receiptCode!: string;
}

export class ComplaintNoteDto {
  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    description: 'a word for the reporter (at most 2000 characters)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  publicNote?: string | null;
}

export class ComplaintDecisionDto extends ComplaintNoteDto {
  @ApiProperty({ enum: COMPLAINT_OUTCOMES })
  @IsIn(COMPLAINT_OUTCOMES)
  outcome!: ComplaintOutcome;

  @ApiProperty({ description: 'why (1 to 2000 characters); on the ledger, and with a suspension its reason' })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiProperty({
    required: false,
    default: false,
    description: 'upheld only: suspend the listing, organisation or contract the complaint names (DS 58)',
  })
  @IsOptional()
  @IsBoolean()
  suspend?: boolean;
}

export class ComplaintQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: COMPLAINT_STATES })
  @IsOptional()
  @IsIn(COMPLAINT_STATES)
  state?: ComplaintState;

  @ApiProperty({ required: false, enum: COMPLAINT_CATEGORIES })
  @IsOptional()
  @IsIn(COMPLAINT_CATEGORIES)
  category?: ComplaintCategory;

  @ApiProperty({ required: false, enum: COMPLAINT_SUBJECT_KINDS })
  @IsOptional()
  @IsIn(COMPLAINT_SUBJECT_KINDS)
  subjectKind?: ComplaintSubjectKind;
}
