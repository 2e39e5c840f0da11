import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { CredentialResolver, isOverseer } from '@app/identity';
import { JobQueue } from '@app/jobs';
import { AnchoringService } from '@app/ledger';
import { Public } from '../http/access.decorators.js';
import { BEARER } from '../http/access.guard.js';
import { HealthResponse } from './health.response.js';

function withoutDetail<T extends { detail?: string }>(part: T): Omit<T, 'detail'> {
  const shown: Partial<T> = { ...part };
  delete shown.detail;
  return shown as Omit<T, 'detail'>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(MikroORM) private readonly orm: MikroORM,
    private readonly queue: JobQueue,
    private readonly chain: AnchoringService,
    private readonly credentials: CredentialResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Database, queue and chain state; 503 when a required part is down. Public; the reasons (hosts, ports, ' +
      'errors) only for an operator or regulator that sends its bearer token',
  })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'a required part is down' })
  async health(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthResponse> {
    const [database, queue, chain, overseer] = await Promise.all([
      this.database(),
      this.queue.health(),
      this.chain.status(),
      this.isOverseer(authorization),
    ]);
    const ok = database.ok && queue.ok && (chain.mode === 'off' || chain.ok);
    void reply.status(ok ? 200 : 503);
    const status = ok ? 'ok' : 'degraded';
    if (overseer) return { status, database, queue, chain };
    // The public sees what is up and down, never why: error texts name hosts, ports and versions. What is on the
    // chain anyway (chain id, contract, last anchor) stays public, for anyone who checks the anchoring.
    return {
      status,
      database: withoutDetail(database),
      queue: withoutDetail(queue),
      chain: withoutDetail(chain),
    };
  }

  /** Whether a valid bearer of an operator or regulator (second factor done) came along; never an error. */
  private async isOverseer(authorization: string | undefined): Promise<boolean> {
    const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) return false;
    try {
      const principal = await this.credentials.resolve(token);
      return principal.secondFactorDone && isOverseer(principal);
    } catch {
      return false;
    }
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
