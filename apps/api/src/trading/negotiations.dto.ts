import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_OFFER_DAYS,
  NEGOTIATION_STATES,
  TERMINATION_REASON_CODES,
  type NegotiationState,
  type TerminationReason,
} from '@app/trading';
import { TermsDto } from './terms.dto.js';
import { PageQueryDto } from '../http/page-query.dto.js';

const TERMS_MESSAGE =
  'terms must be an object with purpose, columns, recipes, delivery, billingUnit, priceFen, periodDays, computations';

const EXPIRES = {
  required: false,
  minimum: 1,
  maximum: MAX_OFFER_DAYS,
  description:
    'days the offer stays open (default TRADING_OFFER_VALID_DAYS, 7); unanswered, it ends the negotiation',
};

/** What every offer carries: its terms and how long it stands. */
class OfferDto {
  @ApiProperty({ type: TermsDto })
  @IsObject({ message: TERMS_MESSAGE })
  @ValidateNested()
  @Type(() => TermsDto)
  terms!: TermsDto;

  @ApiProperty(EXPIRES)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OFFER_DAYS)
  expiresInDays?: number;
}

export class NewNegotiationDto extends OfferDto {
  @ApiProperty({ format: 'uuid', description: 'a published listing' })
  @IsUUID('all')
  listingId!: string;
}

export class CounterOfferDto extends OfferDto {
  @ApiProperty({ minimum: 1, description: 'the latest version, which this offer answers' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  basedOnVersion!: number;
}

export class AcceptDto {
  @ApiProperty({ minimum: 1, description: 'the latest version, made by the other side' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version!: number;
}

export class TerminateDto {
  @ApiProperty({ enum: TERMINATION_REASON_CODES, description: 'why, as a typed code' })
  @IsIn(TERMINATION_REASON_CODES, { message: `reason must be one of ${TERMINATION_REASON_CODES.join(', ')}` })
  reason!: TerminationReason;

  @ApiProperty({ required: false, maxLength: 500, description: 'in words; required for the reason other' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  detail?: string;
}

export class PurposeReviewDto {
  @ApiProperty({ enum: ['approve', 'refuse'] })
  @IsIn(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @ApiProperty({
    maxLength: 500,
    description: 'why the purpose is or is not public governance or welfare (DE 41)',
  })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class NegotiationQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: NEGOTIATION_STATES })
  @IsOptional()
  @IsIn(NEGOTIATION_STATES)
  state?: NegotiationState;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  listingId?: string;
}
