import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Stand-in: the helper who owns `/v1/risk-reports` replaces it. */
@ApiTags('risk-reports')
@Controller('v1/risk-reports')
export class RiskReportsController {}
