import { ApiProperty } from '@nestjs/swagger';
import {
  DATA_KINDS,
  DATA_LEVELS,
  OPEN_ATTRIBUTES,
  SHARE_ATTRIBUTES,
  AFFECTED_OBJECTS,
  HARMS,
} from '@app/compliance';
import { CERTIFICATE_FORMAT, CERTIFICATE_STATUSES, UPDATE_FREQUENCIES } from '@app/assets';
import { ColumnResponse, RightResponse, SourceResponse, TimeRangeResponse } from './asset.response.js';

export class RegistrantResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class CertifiedClassificationResponse {
  @ApiProperty({ enum: AFFECTED_OBJECTS })
  affectedObject!: string;

  @ApiProperty({ enum: HARMS })
  harm!: string;

  @ApiProperty({ enum: DATA_LEVELS })
  level!: string;

  @ApiProperty({ enum: DATA_LEVELS })
  computedLevel!: string;

  @ApiProperty({ enum: DATA_LEVELS, nullable: true, type: String })
  declaredLevel!: string | null;

  @ApiProperty()
  justification!: string;
}

export class CertifiedFactsResponse {
  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: RegistrantResponse })
  registrant!: RegistrantResponse;

  @ApiProperty()
  industry!: string;

  @ApiProperty({ enum: DATA_KINDS })
  dataKind!: string;

  @ApiProperty({ type: SourceResponse })
  source!: SourceResponse;

  @ApiProperty({ type: [ColumnResponse] })
  columns!: ColumnResponse[];

  @ApiProperty()
  rowCount!: number;

  @ApiProperty({ enum: UPDATE_FREQUENCIES })
  updateFrequency!: string;

  @ApiProperty({ type: TimeRangeResponse })
  timeRange!: TimeRangeResponse;

  @ApiProperty({ type: CertifiedClassificationResponse })
  classification!: CertifiedClassificationResponse;

  @ApiProperty({ enum: OPEN_ATTRIBUTES })
  openAttribute!: string;

  @ApiProperty({ enum: SHARE_ATTRIBUTES, nullable: true, type: String })
  shareAttribute!: string | null;

  @ApiProperty({ type: [RightResponse] })
  rights!: RightResponse[];
}

/** The registration certificate document, exactly as signed; `POST /v1/certificates/verify` takes it back as is. */
export class CertificateDocument {
  @ApiProperty({ enum: [CERTIFICATE_FORMAT] })
  format!: string;

  @ApiProperty({ example: 'HDDE-2026-000001' })
  registrationNumber!: string;

  @ApiProperty({ format: 'uuid' })
  assetId!: string;

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ enum: CERTIFICATE_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({ description: 'index of the ledger entry recording the issuance (it carries factsHash)' })
  ledgerIndex!: number;

  @ApiProperty({ type: CertifiedFactsResponse })
  facts!: CertifiedFactsResponse;

  @ApiProperty({ example: '0x…', description: 'SHA-256 of the RFC 8785 canonical JSON of facts' })
  factsHash!: string;

  @ApiProperty({ description: 'checksummed address of the exchange’s signing key' })
  signer!: string;

  @ApiProperty({ description: 'EIP-712 signature, 0x + 130 hex digits' })
  signature!: string;
}

export class CertificateCheckResponse {
  @ApiProperty({ description: 'a genuine certificate of a registration in force at this version' })
  valid!: boolean;

  @ApiProperty({ enum: ['registered', 'cancelled', 'suspended', 'superseded', 'unknown', 'invalid'] })
  status!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the address the signature recovers to' })
  signer!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'the asset’s current facts version' })
  currentVersion!: number | null;
}

export class CertificateSigningResponse {
  @ApiProperty()
  signerAddress!: string;

  @ApiProperty()
  format!: string;

  @ApiProperty()
  scheme!: string;

  @ApiProperty()
  primaryType!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  domain!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  types!: Record<string, unknown>;

  @ApiProperty()
  factsHash!: string;
}
