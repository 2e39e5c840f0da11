import type { BaseWallet } from 'ethers';
import type { Checkpoint } from './checkpoint-codec.js';
import type { RpcProviderOptions } from './rpc-provider.js';

export interface AnchorClientOptions extends RpcProviderOptions {
  /** Give up waiting for a transaction's confirmation after this long; default 120 s. */
  readonly confirmTimeoutMs?: number;
}

export interface AttachOptions {
  /** The anchor key; needed only for anchor(). */
  readonly signer?: BaseWallet;
  /** Block the contract was deployed in: where event scans start. Default 0. */
  readonly deploymentBlock?: number;
}

export interface DeployOptions {
  /** May rotate the anchorer; default the deploying wallet. */
  readonly owner?: string;
  /** The only key allowed to anchor; default the deploying wallet. */
  readonly anchorer?: string;
}

export interface TxReceipt {
  readonly txHash: string;
  readonly blockNumber: number;
}

export interface DeployReceipt extends TxReceipt {
  readonly address: string;
}

export interface AnchorReceipt extends TxReceipt {
  /** True when the same checkpoint was already on chain and nothing was sent; the receipt is the original one. */
  readonly alreadyAnchored: boolean;
}

export interface AnchorEvent extends Checkpoint, TxReceipt {
  readonly logIndex: number;
}
