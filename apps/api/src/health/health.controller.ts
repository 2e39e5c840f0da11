import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { JobQueue } from '@app/jobs';
import { Public } from '../http/access.decorators.js';
import { AnchoringService } from '@app/ledger';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(MikroORM) private readonly orm: MikroORM,
    private readonly queue: JobQueue,
    private readonly chain: AnchoringService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database, queue and chain state; 503 when a required part is down' })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [database, queue, chain] = await Promise.all([
      this.database(),
      this.queue.health(),
      this.chain.status(),
    ]);
    const ok = database.ok && queue.ok && (chain.mode === 'off' || chain.ok);
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, queue, chain };
  }

  private async database(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    try {
      await this.orm.em.getConnection().execute('select 1');
      return { kind: this.config.database.kind, ok: true };
    } catch (error) {
      return { kind: this.config.database.kind, ok: false, detail: (error as Error).message };
    }
  }
}
