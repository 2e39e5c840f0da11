import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { ManualClock, loadConfig, type AppConfig } from '@app/core';
import { createApp } from '../../apps/api/src/create-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  clock: ManualClock;
  database: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real API on 127.0.0.1 and a free port, over a fresh database (and a Redis key prefix of its own when
 * REDIS_URL is set), with a clock the test moves.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    CHAIN_RPC_URL: 'off',
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    SIGNUP_ATTEMPTS_PER_HOUR: '1000',
    REDIS_PREFIX: `dx-test-${randomBytes(4).toString('hex')}`,
    ...database.env,
    ...overrides,
  });
  const clock = new ManualClock(new Date());
  const app = await createApp(config, clock);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    config,
    clock,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
