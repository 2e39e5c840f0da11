import { ApiProperty } from '@nestjs/swagger';

const HASHES = ['sha256', 'sm3'];

export class SignedTreeHeadResponse {
  @ApiProperty({ description: 'number of leaves covered' })
  treeSize!: number;

  @ApiProperty({ description: 'standard base64 of the 32-byte Merkle root' })
  rootHash!: string;

  @ApiProperty({ description: 'milliseconds since the Unix epoch when the head was made' })
  timestamp!: number;

  @ApiProperty({ enum: HASHES })
  hashAlgorithm!: string;

  @ApiProperty({ description: '0x-prefixed hex of r || s || v (EIP-712, secp256k1)' })
  signature!: string;
}

class LedgerActorResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for system actions' })
  accountId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId!: string | null;
}

/** An entry: `leafInput` is the exact stored bytes; the other fields are read from them (absent when unreadable). */
export class LedgerEntryResponse {
  @ApiProperty()
  leafIndex!: number;

  @ApiProperty({ description: 'standard base64 of the leaf input bytes whose hash is in the tree' })
  leafInput!: string;

  @ApiProperty({ required: false, format: 'date-time' })
  time?: string;

  @ApiProperty({ required: false, type: LedgerActorResponse })
  actor?: LedgerActorResponse;

  @ApiProperty({ required: false, example: 'organisation.admitted' })
  action?: string;

  @ApiProperty({ required: false, type: [String] })
  subjectIds?: string[];

  @ApiProperty({ required: false, description: 'any JSON value', type: Object })
  payload?: unknown;
}

export class LedgerEntryListResponse {
  @ApiProperty({ type: [LedgerEntryResponse] })
  entries!: LedgerEntryResponse[];
}

export class LedgerSearchResponse extends LedgerEntryListResponse {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: number | null;
}

export class InclusionProofResponse {
  @ApiProperty()
  leafIndex!: number;

  @ApiProperty()
  treeSize!: number;

  @ApiProperty({ type: [String], description: 'RFC 9162 audit path, each hash in standard base64' })
  inclusionPath!: string[];
}

export class ConsistencyProofResponse {
  @ApiProperty()
  first!: number;

  @ApiProperty()
  second!: number;

  @ApiProperty({ type: [String], description: 'RFC 9162 consistency path, each hash in standard base64' })
  consistencyPath!: string[];
}

export class LedgerEntryWithProofResponse extends LedgerEntryResponse {
  @ApiProperty({ type: [String], description: 'inclusion path in `treeHead`' })
  inclusionPath!: string[];
}

export class MyLedgerEntriesResponse {
  @ApiProperty({ type: SignedTreeHeadResponse, description: 'the head every inclusion path leads to' })
  treeHead!: SignedTreeHeadResponse;

  @ApiProperty({ type: [LedgerEntryWithProofResponse] })
  entries!: LedgerEntryWithProofResponse[];

  @ApiProperty({ type: Number, nullable: true })
  next!: number | null;
}

/** The outcome of re-checking the stored ledger: either all of it is sound, or the first problem. */
export class LedgerVerificationResponse {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'entries checked (up to the problem, if any)' })
  entries!: number;

  @ApiProperty({ required: false, description: 'when ok: signed heads checked' })
  heads?: number;

  @ApiProperty({ required: false, description: 'when ok: the size verified; else the head that is wrong' })
  treeSize?: number;

  @ApiProperty({ required: false, description: 'when ok: the root of that size, base64' })
  rootHash?: string;

  @ApiProperty({
    required: false,
    enum: ['entry', 'head', 'export'],
    description: 'when not ok: what is wrong (an entry, a head, or the export as a whole)',
  })
  kind?: 'entry' | 'head' | 'export';

  @ApiProperty({ required: false, description: 'when an entry is wrong: its index' })
  leafIndex?: number;

  @ApiProperty({ required: false, description: 'when not ok: why' })
  reason?: string;
}
