import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { resolveAnvilCommand } from './anvil-binary.js';
import { deriveDevAccounts, type DevAccount } from './dev-accounts.js';
import { assertPortFree, findFreePort } from './free-port.js';
import { jsonRpcCall, parseQuantity } from './json-rpc-fetch.js';

export interface StartAnvilOptions {
  /** Default: a free port picked by the OS. Never rely on 8545: others may run anvil concurrently. */
  readonly port?: number;
  /** Default and recommended: 127.0.0.1 (the dev keys are public; do not expose the node). */
  readonly host?: string;
  /** Default 31337. */
  readonly chainId?: number;
  /** Funded dev accounts to create; default 10. */
  readonly accounts?: number;
  /** Mine a block every N seconds instead of on each transaction (default: automine). */
  readonly blockTimeSeconds?: number;
  /** How long to wait for the node to answer JSON-RPC; default 15 s. */
  readonly startupTimeoutMs?: number;
  /** A file the chain's state is loaded from at start and written to at exit, so a demo chain outlives restarts. */
  readonly stateFile?: string;
}

/** A running local anvil. Call stop() when done; the process is also killed when this Node process exits. */
export interface AnvilInstance {
  readonly rpcUrl: string;
  readonly host: string;
  readonly port: number;
  readonly chainId: number;
  /** Anvil's default dev-mnemonic accounts, funded with 10,000 ETH each. */
  readonly accounts: readonly DevAccount[];
  stop(): Promise<void>;
}

const PORT_ATTEMPTS = 3;

/**
 * Spawns anvil (`--silent`) on host:port and resolves once it answers eth_chainId with the expected id.
 * Preconditions: `@foundry-rs/anvil` is installed (or ANVIL_BIN set); an explicit `port` must be free.
 * With no port given, a port collision at startup is retried on a fresh port.
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const host = options.host ?? '127.0.0.1';
  if (options.port !== undefined) {
    await assertPortFree(options.port, host);
    return launch(options, host, options.port);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await launch(options, host, await findFreePort(host));
    } catch (error) {
      if (!(error instanceof AnvilExitedError)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class AnvilExitedError extends Error {}

async function launch(options: StartAnvilOptions, host: string, port: number): Promise<AnvilInstance> {
  const chainId = options.chainId ?? 31337;
  const accountCount = options.accounts ?? 10;
  const args = ['--silent', '--host', host, '--port', String(port), '--chain-id', String(chainId)];
  args.push('--accounts', String(accountCount));
  if (options.blockTimeSeconds !== undefined) args.push('--block-time', String(options.blockTimeSeconds));
  // Dumped every few seconds too: this process may end with a SIGKILL, which gives anvil no exit to dump at.
  if (options.stateFile !== undefined) args.push('--state', options.stateFile, '--state-interval', '5');
  const { command, prefixArgs } = resolveAnvilCommand();
  const child = spawn(command, [...prefixArgs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2000);
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const rpcUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (spawnError) return; // never started
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const cancel = new AbortController();
    const timer = delay(3000, 'timeout' as const, { signal: cancel.signal }).catch(
      () => 'cancelled' as const,
    );
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timer]);
    cancel.abort();
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await waitUntilReady(rpcUrl, chainId, options.startupTimeoutMs ?? 15_000, () => {
      if (spawnError) return `cannot start ${command}: ${spawnError.message}`;
      if (child.exitCode === null && child.signalCode === null) return undefined;
      return `anvil exited (${child.exitCode ?? child.signalCode}) before ready: ${stderrTail.trim()}`;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { rpcUrl, host, port, chainId, accounts: deriveDevAccounts(accountCount), stop };
}

/** Polls eth_chainId until it answers; `failure()` returns a message once the process is known dead. */
async function waitUntilReady(
  rpcUrl: string,
  chainId: number,
  timeoutMs: number,
  failure: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = failure();
    if (dead) throw new AnvilExitedError(dead);
    try {
      const answered = parseQuantity(await jsonRpcCall(rpcUrl, 'eth_chainId', [], 500));
      if (answered !== chainId)
        throw new Error(`${rpcUrl} is another node (chain ${answered}, expected ${chainId})`);
      return;
    } catch (error) {
      if (error instanceof Error && error.message.includes('is another node')) throw error;
      await delay(50);
    }
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms`);
}
