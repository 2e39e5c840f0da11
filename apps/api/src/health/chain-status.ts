import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';

export interface ChainState {
  mode: 'off' | 'local' | 'rpc';
  ok: boolean;
  chainId?: number;
  blockNumber?: number;
  detail?: string;
}

/**
 * Where anchoring goes and whether that endpoint answers. `local` means `npm start` was to start anvil and pass its URL
 * as CHAIN_RPC_URL; a process that sees `local` itself has no chain.
 */
@Injectable()
export class ChainStatus {
  private readonly rpcUrl: string | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.rpcUrl = config.chain.mode === 'rpc' ? config.chain.url : null;
  }

  async status(): Promise<ChainState> {
    const mode = this.config.chain.mode;
    if (mode === 'off') return { mode, ok: true, detail: 'anchoring is off (CHAIN_RPC_URL=off)' };
    if (!this.rpcUrl) return { mode, ok: false, detail: 'no local chain is running' };
    try {
      const [chainId, blockNumber] = await Promise.all([
        this.call('eth_chainId'),
        this.call('eth_blockNumber'),
      ]);
      return { mode, ok: true, chainId: Number(chainId), blockNumber: Number(blockNumber) };
    } catch (error) {
      return { mode, ok: false, detail: (error as Error).message };
    }
  }

  private async call(method: string): Promise<string> {
    const response = await fetch(this.rpcUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
      signal: AbortSignal.timeout(1500),
    });
    const body = (await response.json()) as { result?: string; error?: { message: string } };
    if (typeof body.result !== 'string') throw new Error(body.error?.message ?? `no result for ${method}`);
    return body.result;
  }
}
