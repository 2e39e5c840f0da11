import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Stand-in: the helper who owns `/v1/complaints` replaces it. */
@ApiTags('complaints')
@Controller('v1/complaints')
export class ComplaintsController {}
