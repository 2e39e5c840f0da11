import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@app/core';
import { createApp } from './create-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('api').log(
    `listening on http://${config.host}:${config.port} (${config.database.kind}, docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  // A bad setting names the variable; anything else is a start-up failure with its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
