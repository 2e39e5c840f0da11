import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Stand-in: the helper who owns `/v1/incidents` replaces it. */
@ApiTags('incidents')
@Controller('v1/incidents')
export class IncidentsController {}
