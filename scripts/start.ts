/**
 * `npm start`: the platform on its embedded defaults — SQLite under DATA_DIR, in-process jobs, and, unless
 * CHAIN_RPC_URL says otherwise, a local anvil demo chain whose state is kept under DATA_DIR between runs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, JsonLogger, loadConfig } from '@app/core';
import { startAnvil } from '@app/chain';

const logger = new JsonLogger();
try {
  const config = loadConfig();
  logger.setLevel(config.logLevel);
  if (config.chain.mode === 'local') {
    mkdirSync(config.dataDir, { recursive: true });
    // Anvil stops with this process: at its exit, and on a signal, which ends the process without an exit event.
    const anvil = await startAnvil({
      stateFile: join(config.dataDir, 'demo-chain.json'),
      port: config.chain.anvilPort || undefined,
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void anvil.stop();
        // The API's shutdown hooks, once registered, end the process; before that, end it as the signal would.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
    process.env.CHAIN_RPC_URL = anvil.rpcUrl;
    logger.log(`local demo chain (anvil) at ${anvil.rpcUrl}, chain id ${anvil.chainId}`, 'start');
  }
} catch (error) {
  if (error instanceof ConfigError) logger.error(error.message, 'config');
  else logger.error(error, 'start');
  process.exit(1);
}
await import('../apps/api/src/main.js');
