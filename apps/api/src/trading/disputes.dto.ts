import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { DISPUTE_OUTCOMES, type DisputeOutcome } from '@app/trading';
import { PageQueryDto } from '../http/page-query.dto.js';

export class DisputeDecisionDto {
  @ApiProperty({
    enum: DISPUTE_OUTCOMES,
    description:
      'release: the escrow is paid out as on delivery; refund: it returns to the buyer; split: the buyer gets ' +
      'buyerShareBasisPoints of it back and the rest is paid out',
  })
  @IsIn(DISPUTE_OUTCOMES)
  outcome!: DisputeOutcome;

  @ApiProperty({
    type: Number,
    required: false,
    nullable: true,
    minimum: 1,
    maximum: 9999,
    description: 'split only: the buyer’s share of the frozen amount in basis points (1 to 9999)',
  })
  @ValidateIf((o: DisputeDecisionDto) => o.outcome === 'split' || (o.buyerShareBasisPoints ?? null) !== null)
  @IsInt()
  @Min(1)
  @Max(9999)
  buyerShareBasisPoints?: number | null;

  @ApiProperty({ example: '数据缺失属实，按缺失比例退还。', description: 'why (1 to 2000 characters)' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class DisputeQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', description: 'only the disputes of this contract' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a UUID' })
  contractId?: string;

  @ApiProperty({ required: false, enum: ['open', 'decided'] })
  @IsOptional()
  @IsIn(['open', 'decided'])
  state?: 'open' | 'decided';
}
