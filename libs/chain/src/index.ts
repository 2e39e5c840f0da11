export { AnchorClient } from './anchor-client.js';
export type {
  AnchorClientOptions,
  AnchorEvent,
  AnchorReceipt,
  AttachOptions,
  DeployOptions,
  DeployReceipt,
  TxReceipt,
} from './anchor-types.js';
export { startAnvil, type AnvilInstance, type StartAnvilOptions } from './anvil.js';
export { resolveAnvilCommand, type AnvilCommand } from './anvil-binary.js';
export { AnchorConflictError, AnchorRejectedError, ChainError, type ChainErrorKind } from './chain-errors.js';
export { checkChainHealth, type ChainHealth } from './chain-health.js';
export type { Checkpoint } from './checkpoint-codec.js';
export { ANVIL_DEV_MNEMONIC, deriveDevAccounts, type DevAccount } from './dev-accounts.js';
export { findFreePort } from './free-port.js';
export { createRpcProvider, type RpcProviderOptions } from './rpc-provider.js';
export { PROVENANCE_ANCHOR_ABI, provenanceAnchorInterface } from './provenance-anchor-abi.js';
