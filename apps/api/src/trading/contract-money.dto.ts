import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_EVIDENCE_HASHES } from '@app/trading';
import { IsFen, fenSchema } from '../http/fen.validator.js';

/** The funding's body: nothing required; the buyer may state the amount it means to pay, as a check. */
export class FundContractDto {
  @ApiProperty({
    ...fenSchema(
      1,
      "optional: the whole fen the buyer means to pay; refused (422 amount_mismatch) unless it is the contract's amount",
    ),
    required: false,
  })
  @IsOptional()
  @IsFen({ minimum: 1 })
  amountFen?: string | number;
}

export class OpenDisputeDto {
  @ApiProperty({
    example: '交付的数据缺少 2025 年 3 月的记录，与合同约定的时间范围不符。',
    description: 'what the party disputes, in its own words (1 to 5000 characters)',
  })
  @IsString()
  @Length(1, 5000)
  statement!: string;

  @ApiProperty({
    type: [String],
    example: ['0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    description: `hashes of the evidence the party keeps (0x + 64 hex each, at most ${MAX_EVIDENCE_HASHES})`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_EVIDENCE_HASHES)
  @IsString({ each: true })
  @Matches(/^0x[0-9a-fA-F]{64}$/, {
    each: true,
    message: 'each of $property must be 0x followed by 64 hex digits',
  })
  evidenceHashes!: string[];
}
