import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@app/core';
import { DomainModule } from '@app/platform';

/**
 * The domain services without HTTP, for bootstrap commands that must touch the database directly (there is no
 * operator yet to call the API with). Runs the same use cases, so the ledger records them the same way.
 */
export async function withDomain<T>(
  work: (context: INestApplicationContext, config: AppConfig) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const context = await NestFactory.createApplicationContext(DomainModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    return await work(context, config);
  } finally {
    await context.close();
  }
}
