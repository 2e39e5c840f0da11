import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import {
  INCIDENT_IMPORTANCES,
  INCIDENT_LEVELS,
  INCIDENT_SEVERITIES,
  type IncidentImportance,
  type IncidentLevel,
  type IncidentSeverity,
} from '@app/compliance';
import { INCIDENT_STATES, MAX_AFFECTED_ASSETS, type IncidentState } from '@app/oversight';
import { PageQueryDto } from '../http/page-query.dto.js';

export class ReportIncidentDto {
  @ApiProperty({ example: '订单库访问日志异常导出', description: '1 to 200 characters' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({
    example: '2026-03-02 夜间一个运维账号导出了 3 万行订单记录。',
    description: 'what happened',
  })
  @IsString()
  @Length(1, 10000)
  description!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-03-02T14:00:00Z',
    description: 'not in the future',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  occurredAt!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    required: false,
    maxItems: MAX_AFFECTED_ASSETS,
    description:
      'the registered assets it touched (yours, or over one of your contracts): the importance follows from the ' +
      'highest of their levels (DS 29)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AFFECTED_ASSETS)
  @IsUUID('all', { each: true, message: 'each of affectedAssetIds must be a UUID' })
  affectedAssetIds?: string[];

  @ApiProperty({
    enum: INCIDENT_IMPORTANCES,
    required: false,
    description:
      'the importance of the affected object when no asset is named; never below the assets’ (422)',
  })
  @IsOptional()
  @IsIn(INCIDENT_IMPORTANCES)
  importance?: IncidentImportance;

  @ApiProperty({ enum: INCIDENT_SEVERITIES, description: 'DS 12 表2: the business loss' })
  @IsIn(INCIDENT_SEVERITIES)
  businessLoss!: IncidentSeverity;

  @ApiProperty({ enum: INCIDENT_SEVERITIES, description: 'DS 12 表3: the social harm' })
  @IsIn(INCIDENT_SEVERITIES)
  socialHarm!: IncidentSeverity;

  @ApiProperty({
    example: '请立即轮换与该数据集相关的访问令牌，并核查 3 月 2 日以后的下载记录。',
    description: 'what the affected parties should do to lessen the harm (DS 16)',
  })
  @IsString()
  @Length(1, 10000)
  measures!: string;
}

export class ContainmentDto {
  @ApiProperty({ example: '已停用该运维账号并吊销其全部令牌。', description: 'how the harm was stopped' })
  @IsString()
  @Length(1, 10000)
  note!: string;
}

export class ClosureDto {
  @ApiProperty({
    example: '原因：运维账号权限过宽。处置：权限收敛、审计告警上线。影响：3 万行订单，已告知 2 个交易方。',
    description: 'the summary report (DS 16: cause, handling, impact)',
  })
  @IsString()
  @Length(1, 20000)
  summary!: string;
}

export class IncidentQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: INCIDENT_STATES })
  @IsOptional()
  @IsIn(INCIDENT_STATES)
  state?: IncidentState;

  @ApiProperty({ required: false, enum: INCIDENT_LEVELS, type: Number })
  @IsOptional()
  @Type(() => Number)
  @IsIn(INCIDENT_LEVELS)
  level?: IncidentLevel;

  @ApiProperty({
    required: false,
    enum: ['true', 'false'],
    description: 'true: only those whose DS 16 closing summary is past due; false: only those not',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class NoticeQueryDto extends PageQueryDto {}

export class YearlyReportQueryDto {
  @ApiProperty({
    required: false,
    example: 2026,
    minimum: 2000,
    maximum: 9999,
    description: 'the calendar year (UTC); this year, so far, when absent',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(9999)
  year?: number;

  @ApiProperty({ required: false, enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class YearlyReportSubmissionDto {
  @ApiProperty({ example: 2026, minimum: 2000, maximum: 9999 })
  @IsInt()
  @Min(2000)
  @Max(9999)
  year!: number;
}
