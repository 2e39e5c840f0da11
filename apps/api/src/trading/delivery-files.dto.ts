import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { hexOf, type DeliveryFile } from '@app/trading';

/** The query of an upload: what the raw body is. */
export class DeliveryFileUploadQueryDto {
  @ApiProperty({
    required: false,
    description:
      'the file name buyers get (1 to 255 characters, no / or \\); or send it percent-encoded in the X-File-Name header',
    example: 'intersection-counts-2025.csv',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

  @ApiProperty({
    required: false,
    description:
      'the media type buyers get; default: from the name’s extension, else application/octet-stream',
    example: 'text/csv',
  })
  @IsOptional()
  @IsString()
  @Length(3, 101)
  mediaType?: string;

  @ApiProperty({
    required: false,
    description:
      'the SHA-256 the client computed (64 hex digits): bytes hashing to anything else are refused with 422 and not kept',
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(0x)?[0-9a-fA-F]{64}$/, { message: 'expectedSha256 must be 64 hex digits (a SHA-256)' })
  expectedSha256?: string;
}

export class DeliveryFileResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  listingId!: string;

  @ApiProperty({ example: 'intersection-counts-2025.csv' })
  name!: string;

  @ApiProperty({ example: 'text/csv' })
  mediaType!: string;

  @ApiProperty({ type: 'integer', example: 1048576 })
  sizeBytes!: number;

  @ApiProperty({
    description: 'SHA-256 of the bytes, 64 lowercase hex digits (what sha256sum prints)',
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  sha256!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class DeliveryFileListResponse {
  @ApiProperty({ type: [DeliveryFileResponse], description: 'oldest first' })
  files!: DeliveryFileResponse[];
}

export class ContractFilesResponse {
  @ApiProperty({ format: 'uuid' })
  contractId!: string;

  @ApiProperty({ format: 'uuid' })
  listingId!: string;

  @ApiProperty({
    description: 'whether the buyer may download now: the contract is active and inside its period of use',
  })
  accessGranted!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when access ends' })
  accessEndsAt!: string | null;

  @ApiProperty({ type: [DeliveryFileResponse], description: 'oldest first' })
  files!: DeliveryFileResponse[];
}

export const deliveryFileView = (f: DeliveryFile): DeliveryFileResponse => ({
  id: f.id,
  listingId: f.listingId,
  name: f.name,
  mediaType: f.mediaType,
  sizeBytes: Number(f.sizeBytes),
  sha256: hexOf(f),
  createdAt: f.createdAt.toISOString(),
});
