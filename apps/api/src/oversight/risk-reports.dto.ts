import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ASSESSOR_KINDS,
  MAX_IMPORTANT_DATA_LINES,
  MAX_RISK_LINES,
  RISK_EFFECTIVENESS,
  type AssessorKind,
} from '@app/oversight';
import { PageQueryDto } from '../http/page-query.dto.js';

export class ImportantDataLineDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'the catalogued asset this line is about (one of yours), or null for data not registered here',
  })
  @ValidateIf((o: ImportantDataLineDto) => o.assetId !== null)
  @IsUUID('all', { message: '$property must be a UUID or null' })
  assetId!: string | null;

  @ApiProperty({
    example: 'transport: 海东市路口车流量',
    description: 'the category of important data (1 to 200)',
  })
  @IsString()
  @Length(1, 200)
  category!: string;

  @ApiProperty({ enum: ['important', 'core'] })
  @IsIn(['important', 'core'])
  level!: 'important' | 'core';

  @ApiProperty({ example: '1200000 rows', description: 'how much: rows, records or bytes (1 to 100)' })
  @IsString()
  @Length(1, 100)
  amount!: string;
}

export class RiskLineDto {
  @ApiProperty({ example: '数据库备份未加密', description: 'the risk found (1 to 2000)' })
  @IsString()
  @Length(1, 2000)
  risk!: string;

  @ApiProperty({ example: '备份以 SM4 加密，密钥分级保管', description: 'the measure taken (1 to 2000)' })
  @IsString()
  @Length(1, 2000)
  measure!: string;

  @ApiProperty({ enum: RISK_EFFECTIVENESS, description: 'how effective the measure is (DS 60)' })
  @IsIn(RISK_EFFECTIVENESS)
  effectiveness!: (typeof RISK_EFFECTIVENESS)[number];
}

export class FileRiskReportDto {
  @ApiProperty({ example: 2026, description: 'the year assessed: this year or last' })
  @IsInt()
  @Min(2000)
  @Max(9999)
  periodYear!: number;

  @ApiProperty({ enum: ASSESSOR_KINDS, description: 'DS 65: the holder itself or a third-party assessor' })
  @IsIn(ASSESSOR_KINDS)
  assessorKind!: AssessorKind;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    description: 'third-party only: the assessor (1 to 200)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  assessorName?: string | null;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    example: '91110000100000000A',
    description: 'third-party only: the assessor’s unified social credit code (GB 32100)',
  })
  @IsOptional()
  @IsString()
  @Length(18, 18, { message: 'assessorCreditCode is 18 characters' })
  assessorCreditCode?: string | null;

  @ApiProperty({
    type: [ImportantDataLineDto],
    description: `categories and amounts of important data (DS 60), at most ${MAX_IMPORTANT_DATA_LINES}; start from GET /v1/risk-reports/draft`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_IMPORTANT_DATA_LINES)
  @IsObject({ each: true, message: 'each importantData line is an object' })
  @ValidateNested({ each: true })
  @Type(() => ImportantDataLineDto)
  importantData!: ImportantDataLineDto[];

  @ApiProperty({ description: 'the processing activities assessed (1 to 20000)' })
  @IsString()
  @Length(1, 20_000)
  processingActivities!: string;

  @ApiProperty({
    type: [RiskLineDto],
    description: `risks, measures and their effectiveness: 1 to ${MAX_RISK_LINES}`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RISK_LINES)
  @IsObject({ each: true, message: 'each risk is an object' })
  @ValidateNested({ each: true })
  @Type(() => RiskLineDto)
  risks!: RiskLineDto[];

  @ApiProperty({ description: 'the assessment’s conclusion (1 to 20000)' })
  @IsString()
  @Length(1, 20_000)
  conclusion!: string;

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    format: 'uuid',
    description: 'the earlier report of yours this one corrects; a report is superseded once',
  })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a UUID' })
  supersedesId?: string | null;
}

export class RiskReportQueryDto extends PageQueryDto {
  @ApiProperty({
    required: false,
    format: 'uuid',
    description: 'overseers: only this organisation’s reports',
  })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a UUID' })
  organisationId?: string;

  @ApiProperty({ required: false, description: 'only the reports assessing this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(9999)
  year?: number;
}
