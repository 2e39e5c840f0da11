import { ApiProperty } from '@nestjs/swagger';

const FEN = {
  type: String,
  example: '10000',
  description: 'fen, as a decimal string (may be negative for the external account)',
};

export class TransferResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['posted', 'pending', 'post_pending', 'void_pending'] })
  kind!: string;

  @ApiProperty({
    enum: [
      'deposit',
      'withdrawal',
      'payment',
      'hold',
      'post',
      'void',
      'platform_fee',
      'public_resource_fee',
      'revenue_share',
      'reversal',
    ],
  })
  code!: string;

  @ApiProperty({ example: 'external' })
  debitAccountId!: string;

  @ApiProperty({ example: 'available:3f1c2a4e-0000-4000-8000-000000000000' })
  creditAccountId!: string;

  @ApiProperty({ type: String, example: '10000', description: 'fen, as a decimal string' })
  amountFen!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the pending transfer this one posts or voids' })
  pendingId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the transfer this one reverses' })
  reversesId!: string | null;
}

export class HoldResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ format: 'uuid' })
  payerOrganisationId!: string;

  @ApiProperty({ enum: ['pending', 'posted', 'voided', 'released'] })
  state!: string;

  @ApiProperty({ type: String, example: '10000' })
  amountFen!: string;

  @ApiProperty({ type: String, nullable: true, example: '10000' })
  postedFen!: string | null;
}

/** A money movement: one linked group of transfers. A retry with the same Idempotency-Key gets the same body. */
export class MovementResponse {
  @ApiProperty({ format: 'uuid' })
  operationId!: string;

  @ApiProperty({ enum: ['deposit', 'withdrawal', 'transfer', 'hold', 'post', 'void', 'release', 'reversal'] })
  operation!: string;

  @ApiProperty({
    description: 'true when this is the stored first result of an earlier request with the same key',
  })
  replayed!: boolean;

  @ApiProperty({ type: [TransferResponse] })
  transfers!: TransferResponse[];

  @ApiProperty({ type: HoldResponse, nullable: true })
  hold!: HoldResponse | null;
}

export class AccountBalanceResponse {
  @ApiProperty({ example: 'available:3f1c2a4e-0000-4000-8000-000000000000' })
  accountId!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null for the platform’s accounts',
  })
  organisationId!: string | null;

  @ApiProperty({ enum: ['available', 'escrow', 'receivable', 'platform_fee', 'public_finance', 'external'] })
  purpose!: string;

  @ApiProperty({
    ...FEN,
    description: 'credits posted − debits posted − debits pending: what the account may pay out now',
  })
  availableFen!: string;

  @ApiProperty({
    ...FEN,
    description: 'fen held by pending transfers: reserved for its holds, or held for it',
  })
  pendingFen!: string;

  @ApiProperty(FEN)
  debitsPostedFen!: string;

  @ApiProperty(FEN)
  creditsPostedFen!: string;

  @ApiProperty(FEN)
  debitsPendingFen!: string;

  @ApiProperty(FEN)
  creditsPendingFen!: string;
}

export class BalancesResponse {
  @ApiProperty({ type: [AccountBalanceResponse] })
  accounts!: AccountBalanceResponse[];
}

export class TrialBalanceResponse {
  @ApiProperty({ ...FEN, description: 'sum of debits posted over every account' })
  totalDebitsFen!: string;

  @ApiProperty({ ...FEN, description: 'sum of credits posted over every account' })
  totalCreditsFen!: string;

  @ApiProperty(FEN)
  totalDebitsPendingFen!: string;

  @ApiProperty(FEN)
  totalCreditsPendingFen!: string;

  @ApiProperty({ description: 'debits equal credits, posted and pending' })
  balanced!: boolean;

  @ApiProperty({ description: 'every account’s stored totals equal what its transfers add up to' })
  reconciled!: boolean;

  @ApiProperty({ type: [AccountBalanceResponse] })
  accounts!: AccountBalanceResponse[];
}
