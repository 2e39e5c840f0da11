import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SUPERVISION_PERIODS, type SupervisionPeriod } from '@app/oversight';
import { IsCalendarTimestamp } from '../http/timestamp.validator.js';

export const SUPERVISION_FORMATS = ['json', 'csv'] as const;
export type SupervisionFormat = (typeof SUPERVISION_FORMATS)[number];

/** `?format=csv` turns any supervision figure into RFC 4180 CSV with a header row. */
export class SupervisionFormatDto {
  @ApiProperty({
    required: false,
    enum: SUPERVISION_FORMATS,
    default: 'json',
    description: 'json (default) or csv (text/csv; charset=utf-8, a header row, one row per JSON row)',
  })
  @IsOptional()
  @IsIn(SUPERVISION_FORMATS)
  format?: SupervisionFormat;
}

/** A figure over a time window `[from, to)`, in UTC periods. */
export class SupervisionWindowDto extends SupervisionFormatDto {
  @ApiProperty({
    required: false,
    description:
      'start, inclusive (YYYY-MM-DD = UTC midnight, or YYYY-MM-DDThh:mm[:ss]Z / ±hh:mm); default: the start of ' +
      'the 30th day (day), 12th month (month) or 5th year (year) before to',
  })
  @IsOptional()
  @IsCalendarTimestamp()
  from?: string;

  @ApiProperty({ required: false, description: 'end, exclusive (same form as from); default: now' })
  @IsOptional()
  @IsCalendarTimestamp()
  to?: string;

  @ApiProperty({
    required: false,
    enum: SUPERVISION_PERIODS,
    default: 'month',
    description: 'the period of the series (UTC); a daily series covers at most 366 days',
  })
  @IsOptional()
  @IsIn(SUPERVISION_PERIODS)
  period?: SupervisionPeriod;
}
