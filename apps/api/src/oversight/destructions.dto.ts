import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DESTRUCTION_STATES, type DestructionState } from '@app/oversight/core';
import { PageQueryDto } from '../http/page-query.dto.js';

export class NewDestructionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'the asset whose data the platform destroys (registrant or holder)',
  })
  @IsUUID('all', { message: '$property must be a UUID' })
  assetId!: string;

  @ApiProperty({ example: '数据处理目的已实现，按合同约定销毁。', description: 'why (1 to 2000 characters)' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class DestructionDecisionDto {
  @ApiProperty({
    enum: ['approve', 'refuse'],
    description: 'approve: the data is destroyed at once; refuse: nothing is destroyed, the request ends',
  })
  @IsIn(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @ApiProperty({ example: '销毁理由充分，已核实无留存义务。', description: 'why (1 to 2000 characters)' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class DestructionQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: DESTRUCTION_STATES })
  @IsOptional()
  @IsIn(DESTRUCTION_STATES)
  state?: DestructionState;

  @ApiProperty({ required: false, format: 'uuid', description: 'only the requests for this asset' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a UUID' })
  assetId?: string;
}
