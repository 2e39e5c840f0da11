/**
 * `npm start`: the platform on its embedded defaults — SQLite under DATA_DIR, in-process jobs, and, unless
 * CHAIN_RPC_URL says otherwise, a local anvil demo chain whose state is kept under DATA_DIR between runs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/core';
import { startAnvil } from '@app/chain';

try {
  const config = loadConfig();
  if (config.chain.mode === 'local') {
    mkdirSync(config.dataDir, { recursive: true });
    // 8545 beside the default API port 3000, as Ethereum tools expect; anvil stops with this process.
    const port = config.port > 0 ? config.port + 5545 : undefined;
    const anvil = await startAnvil({ stateFile: join(config.dataDir, 'demo-chain.json'), port });
    process.env.CHAIN_RPC_URL = anvil.rpcUrl;
    console.log(`local demo chain (anvil) at ${anvil.rpcUrl}, chain id ${anvil.chainId}`);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
await import('../apps/api/src/main.js');
