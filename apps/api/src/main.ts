import { Logger } from '@nestjs/common';
import { ConfigError, JsonLogger, loadConfig, routeProcessOutput } from '@app/core';
import { createApp } from './create-app.js';

async function main(): Promise<void> {
  const logger = new JsonLogger();
  routeProcessOutput(logger);
  Logger.overrideLogger(logger);
  const config = loadConfig();
  logger.setLevel(config.logLevel);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('api').log(
    `listening on http://${config.host}:${config.port} (${config.database.kind}, docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  // A bad setting names the variable; anything else is a start-up failure with its stack.
  if (error instanceof ConfigError) new JsonLogger().error(error.message, 'config');
  else new JsonLogger().error(error, 'api');
  process.exit(1);
});
