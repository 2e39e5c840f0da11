import { ApiProperty } from '@nestjs/swagger';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_OUTCOMES,
  COMPLAINT_STATES,
  COMPLAINT_SUBJECT_KINDS,
} from '@app/oversight/core';
import type { Complaint } from '@app/oversight';

/** What the reporter gets once: the receipt code is not stored and cannot be shown again. */
export class FiledComplaintResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    example: 'DXC-7K2QF-M9XPA-0RT4B-H8CWN',
    description: 'keep it: the only way to follow the complaint without an account; shown this once',
  })
  receiptCode!: string;

  @ApiProperty({ enum: COMPLAINT_STATES })
  state!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

/** The reporter's view by receipt code: where it stands, with no identity of reporter or handler. */
export class ComplaintStatusResponse {
  @ApiProperty({ enum: COMPLAINT_STATES })
  state!: string;

  @ApiProperty({ enum: COMPLAINT_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the handlers’ latest word to the reporter' })
  publicNote!: string | null;

  @ApiProperty({ enum: COMPLAINT_CATEGORIES })
  category!: string;

  @ApiProperty({ enum: COMPLAINT_SUBJECT_KINDS, nullable: true })
  subjectKind!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;
}

export class ComplaintSuspensionResponse {
  @ApiProperty({ enum: COMPLAINT_SUBJECT_KINDS })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;
}

/** The whole record, reporter included, for the operator and regulators. */
export class ComplaintResponse extends ComplaintStatusResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null when filed without an account',
  })
  reporterAccountId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reporterOrganisationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reporterContact!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  subjectId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the listing’s merchant or the organisation named; null for a contract or no subject',
  })
  reportedOrganisationId!: string | null;

  @ApiProperty()
  statement!: string;

  @ApiProperty({ type: [String], description: '0x + 64 hex each' })
  evidenceHashes!: string[];

  @ApiProperty({ type: String, nullable: true })
  decisionReason!: string | null;

  @ApiProperty({ type: ComplaintSuspensionResponse, nullable: true })
  suspension!: ComplaintSuspensionResponse | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  handledByAccountId!: string | null;
}

export class ComplaintPageResponse {
  @ApiProperty({ type: [ComplaintResponse], description: 'newest first' })
  items!: ComplaintResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

export const filedView = (c: Complaint, receiptCode: string): FiledComplaintResponse => ({
  id: c.id,
  receiptCode,
  state: c.state,
  createdAt: c.createdAt.toISOString(),
});

export const complaintStatusView = (c: Complaint): ComplaintStatusResponse => ({
  state: c.state,
  outcome: c.outcome ?? null,
  publicNote: c.publicNote ?? null,
  category: c.category,
  subjectKind: c.subjectKind ?? null,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
  decidedAt: c.decidedAt?.toISOString() ?? null,
});

export const complaintView = (c: Complaint): ComplaintResponse => ({
  id: c.id,
  ...complaintStatusView(c),
  reporterAccountId: c.reporterAccountId ?? null,
  reporterOrganisationId: c.reporterOrganisationId ?? null,
  reporterContact: c.reporterContact ?? null,
  subjectId: c.subjectId ?? null,
  reportedOrganisationId: c.reportedOrganisationId ?? null,
  statement: c.statement,
  evidenceHashes: [...c.evidenceHashes],
  decisionReason: c.decisionReason ?? null,
  suspension: c.suspension ? { kind: c.suspension.kind, id: c.suspension.id } : null,
  handledByAccountId: c.handledByAccountId ?? null,
});
