import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { AdmissionDecision } from '@app/identity';

export class AdmissionDto {
  @ApiProperty({ enum: ['admit', 'reject', 'suspend', 'reinstate'] })
  @IsIn(['admit', 'reject', 'suspend', 'reinstate'])
  decision!: AdmissionDecision;

  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class OrganisationQueryDto {
  @ApiProperty({ required: false, enum: ['pending', 'admitted', 'rejected', 'suspended'] })
  @IsOptional()
  @IsIn(['pending', 'admitted', 'rejected', 'suspended'])
  status?: 'pending' | 'admitted' | 'rejected' | 'suspended';
}
