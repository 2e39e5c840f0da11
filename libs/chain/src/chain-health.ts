import { jsonRpcCall, parseQuantity } from './json-rpc-fetch.js';

export interface ChainHealth {
  readonly reachable: boolean;
  readonly chainId?: number;
  readonly blockNumber?: number;
  /** Why the node is unreachable (connection refused, timeout, bad answer). */
  readonly error?: string;
  readonly latencyMs: number;
}

/**
 * Asks the node for eth_chainId and eth_blockNumber, giving up after `timeoutMs` (default 2 s).
 * Never throws: an unreachable or misbehaving node yields `{ reachable: false, error }`.
 */
export async function checkChainHealth(rpcUrl: string, timeoutMs = 2000): Promise<ChainHealth> {
  const started = performance.now();
  const latencyMs = (): number => Math.round(performance.now() - started);
  try {
    const [chainId, blockNumber] = await Promise.all([
      jsonRpcCall(rpcUrl, 'eth_chainId', [], timeoutMs).then(parseQuantity),
      jsonRpcCall(rpcUrl, 'eth_blockNumber', [], timeoutMs).then(parseQuantity),
    ]);
    return { reachable: true, chainId, blockNumber, latencyMs: latencyMs() };
  } catch (error) {
    return { reachable: false, error: describe(error), latencyMs: latencyMs() };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name === 'TimeoutError' ? 'timeout' : error.message}${cause}`;
}
