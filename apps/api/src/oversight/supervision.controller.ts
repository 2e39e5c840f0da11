import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Stand-in: the helper who owns `/v1/supervision` replaces it. */
@ApiTags('supervision')
@Controller('v1/supervision')
export class SupervisionController {}
