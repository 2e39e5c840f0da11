import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { ChainError } from './chain-errors.js';
import { jsonRpcCall, parseQuantity } from './json-rpc-fetch.js';

export interface RpcProviderOptions {
  readonly rpcUrl: string;
  /** Receipt polling interval; default 250 ms. */
  readonly pollingIntervalMs?: number;
  /** Per-request timeout; default 30 s (the chain-id probe uses at most 5 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * An ethers JsonRpcProvider pinned to the node's chain id, which is fetched once under a timeout: a dead node fails
 * fast with ChainError('unavailable') instead of ethers retrying network detection forever. Response caching is off
 * because ethers otherwise caches eth_getTransactionCount for 250 ms and back-to-back sends would reuse a nonce.
 */
export async function createRpcProvider(options: RpcProviderOptions): Promise<JsonRpcProvider> {
  const timeout = options.requestTimeoutMs ?? 30_000;
  let chainId: number;
  try {
    chainId = parseQuantity(await jsonRpcCall(options.rpcUrl, 'eth_chainId', [], Math.min(timeout, 5000)));
  } catch (error) {
    throw new ChainError('unavailable', 'chain_unreachable', `cannot reach ${options.rpcUrl}`, {
      cause: error,
    });
  }
  const request = new FetchRequest(options.rpcUrl);
  request.timeout = timeout;
  const network = Network.from(chainId);
  return new JsonRpcProvider(request, network, {
    staticNetwork: network,
    pollingInterval: options.pollingIntervalMs ?? 250,
    cacheTimeout: -1,
  });
}
