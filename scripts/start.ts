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
    // Anvil stops with this process: at its exit, and on a signal, which would end the process without an exit event.
    const anvil = await startAnvil({
      stateFile: join(config.dataDir, 'demo-chain.json'),
      port: config.chain.anvilPort || undefined,
    });
    const stopChain = (signal: NodeJS.Signals): void => {
      void anvil.stop(); // sends anvil SIGTERM at once: it saves its state and exits even if this process is gone
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        // Once the API is up, its shutdown hooks close it (a last anchoring may still reach the chain) and then raise
        // the signal again: stop the chain then. Before that, stop both now.
        if (process.listenerCount(signal) > 0) process.once(signal, () => stopChain(signal));
        else stopChain(signal);
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
