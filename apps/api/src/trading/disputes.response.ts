import { ApiProperty } from '@nestjs/swagger';
import { DISPUTE_OUTCOMES, type Dispute } from '@app/trading';

/** A dispute as both parties and the overseers see it. */
export class DisputeResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  contractId!: string;

  @ApiProperty({ enum: ['open', 'decided'] })
  state!: string;

  @ApiProperty({ format: 'uuid' })
  openedByOrganisationId!: string;

  @ApiProperty({ enum: ['buyer', 'merchant'] })
  openedBySide!: string;

  @ApiProperty()
  statement!: string;

  @ApiProperty({ type: [String], description: '0x + 64 hex each' })
  evidenceHashes!: string[];

  @ApiProperty({ enum: DISPUTE_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'split: the buyer’s share in basis points' })
  buyerShareBasisPoints!: number | null;

  @ApiProperty({ type: String, nullable: true })
  decisionReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class DisputePageResponse {
  @ApiProperty({ type: [DisputeResponse], description: 'newest first' })
  items!: DisputeResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

export const disputeView = (d: Dispute): DisputeResponse => ({
  id: d.id,
  contractId: d.contractId,
  state: d.state,
  openedByOrganisationId: d.openedByOrganisationId,
  openedBySide: d.openedBySide,
  statement: d.statement,
  evidenceHashes: [...d.evidenceHashes],
  outcome: d.outcome ?? null,
  buyerShareBasisPoints: d.buyerShareBasisPoints ?? null,
  decisionReason: d.decisionReason ?? null,
  decidedAt: d.decidedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});
