import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Stand-in: the helper who owns `/v1/destructions` replaces it. */
@ApiTags('destructions')
@Controller('v1/destructions')
export class DestructionsController {}
