import {
  ContractFactory,
  isCallException,
  type JsonRpcProvider,
  type BaseWallet,
  type Log,
  type TransactionRequest,
} from 'ethers';
import { AnchorConflictError, AnchorRejectedError, ChainError } from './chain-errors.js';
import { checkChainHealth, type ChainHealth } from './chain-health.js';
import {
  assertTreeSize,
  decodeCheckpoint,
  rootToHex,
  toSafeNumber,
  treeSizeTopic,
  type Checkpoint,
} from './checkpoint-codec.js';
import type {
  AnchorClientOptions,
  AnchorEvent,
  AnchorReceipt,
  AttachOptions,
  DeployOptions,
  DeployReceipt,
} from './anchor-types.js';
import { PROVENANCE_ANCHOR_ABI, provenanceAnchorInterface as iface } from './provenance-anchor-abi.js';
import { createRpcProvider } from './rpc-provider.js';

/**
 * Client of one ProvenanceAnchor contract over an ethers 6 JsonRpcProvider. Anchors from one client are
 * serialized (each waits for its confirmation before the next is built), so nonces stay in order; one anchor key
 * must not be used by two writers at once.
 */
export class AnchorClient {
  readonly rpcUrl: string;
  readonly #options: AnchorClientOptions;
  #provider?: Promise<JsonRpcProvider>;
  #address?: string;
  #signer?: BaseWallet;
  #deploymentBlock = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: AnchorClientOptions) {
    this.rpcUrl = options.rpcUrl;
    this.#options = options;
  }

  /** The attached contract address; throws when neither deploy() nor attach() ran. */
  get address(): string {
    if (!this.#address) throw new ChainError('invalid', 'chain_not_attached', 'no ProvenanceAnchor attached');
    return this.#address;
  }

  /**
   * Deploys ProvenanceAnchor from `anchorWallet` (which must hold gas money) and attaches to it with that wallet
   * as signer. `bytecode` is the creation bytecode from contracts/build.ts (loadProvenanceAnchorArtifact()).
   */
  async deploy(
    anchorWallet: BaseWallet,
    bytecode: string,
    options: DeployOptions = {},
  ): Promise<DeployReceipt> {
    const signer = anchorWallet.connect(await this.#connect());
    const factory = new ContractFactory(PROVENANCE_ANCHOR_ABI, bytecode, signer);
    const request = await factory.getDeployTransaction(
      options.owner ?? signer.address,
      options.anchorer ?? signer.address,
    );
    const receipt = await this.#send(signer, request);
    const address = receipt.contractAddress;
    if (!address)
      throw new ChainError('unavailable', 'chain_deploy_failed', 'deployment receipt has no address');
    this.attach(address, { signer: anchorWallet, deploymentBlock: receipt.blockNumber });
    return { address, txHash: receipt.hash, blockNumber: receipt.blockNumber };
  }

  /** Points the client at a deployed contract. Precondition: `address` is a ProvenanceAnchor. */
  attach(address: string, options: AttachOptions = {}): this {
    this.#address = address;
    this.#signer = options.signer;
    this.#deploymentBlock = options.deploymentBlock ?? 0;
    return this;
  }

  /**
   * Anchors (treeSize, rootHash) and waits for one confirmation. Preconditions: treeSize is a positive safe integer
   * greater than every tree size anchored so far; rootHash is 32 bytes, not all zero; a signer is attached.
   * Idempotent: when the same checkpoint is already on chain nothing is sent and the original receipt is returned;
   * a different root at that size throws AnchorConflictError. Contract refusals throw AnchorRejectedError.
   */
  async anchor(treeSize: number, rootHash: Uint8Array): Promise<AnchorReceipt> {
    assertTreeSize(treeSize);
    const root = rootToHex(rootHash);
    const run = this.#queue.then(() => this.#anchorNow(treeSize, root));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The newest checkpoint, or null before the first. */
  async latest(): Promise<Checkpoint | null> {
    return decodeCheckpoint((await this.#call('latest', []))[0]);
  }

  /** The checkpoint at exactly `treeSize`, or null. Precondition: treeSize is a positive safe integer. */
  async checkpointAt(treeSize: number): Promise<Checkpoint | null> {
    assertTreeSize(treeSize);
    return decodeCheckpoint((await this.#call('checkpointAt', [treeSize]))[0]);
  }

  /** Number of checkpoints on chain. */
  async count(): Promise<number> {
    return toSafeNumber((await this.#call('count', []))[0], 'count');
  }

  /** Anchored events from `fromBlock` (default: the deployment block) to the latest block, in chain order. */
  async listAnchors(fromBlock: number = this.#deploymentBlock): Promise<AnchorEvent[]> {
    return this.#anchoredLogs(fromBlock, null);
  }

  /** Reachability, chain id and height of the node, within `timeoutMs` (default 2 s). Never throws. */
  health(timeoutMs = 2000): Promise<ChainHealth> {
    return checkChainHealth(this.rpcUrl, timeoutMs);
  }

  /** Stops the provider's timers; the client is unusable afterwards. */
  async close(): Promise<void> {
    const provider = this.#provider;
    this.#provider = undefined;
    if (provider) (await provider.catch(() => undefined))?.destroy();
  }

  async #anchorNow(treeSize: number, root: string): Promise<AnchorReceipt> {
    const signer = this.#signer;
    if (!signer) throw new ChainError('invalid', 'chain_no_signer', 'attach() with a signer before anchor()');
    const existing = await this.#existing(treeSize, root);
    if (existing) return existing;
    const request = { to: this.address, data: iface.encodeFunctionData('anchor', [treeSize, root]) };
    try {
      const receipt = await this.#send(signer.connect(await this.#connect()), request);
      return { txHash: receipt.hash, blockNumber: receipt.blockNumber, alreadyAnchored: false };
    } catch (error) {
      const reason = revertReason(error);
      if (!reason) throw error;
      // Someone anchored this size between our check and the send: idempotency may still hold.
      const raced = reason === 'TreeSizeNotIncreasing' ? await this.#existing(treeSize, root) : null;
      if (raced) return raced;
      throw new AnchorRejectedError(reason, `ProvenanceAnchor refused tree size ${treeSize}: ${reason}`, {
        cause: error,
      });
    }
  }

  /** The original receipt when (treeSize, root) is on chain; null when the size is free; throws on a conflict. */
  async #existing(treeSize: number, root: string): Promise<AnchorReceipt | null> {
    const onChain = await this.checkpointAt(treeSize);
    if (!onChain) return null;
    if (onChain.rootHash !== root) throw new AnchorConflictError(treeSize, onChain.rootHash, root);
    const [event] = await this.#anchoredLogs(this.#deploymentBlock, treeSize);
    if (!event)
      throw new ChainError('unavailable', 'chain_log_missing', `no Anchored log for tree size ${treeSize}`);
    return { txHash: event.txHash, blockNumber: event.blockNumber, alreadyAnchored: true };
  }

  async #anchoredLogs(fromBlock: number, treeSize: number | null): Promise<AnchorEvent[]> {
    const provider = await this.#connect();
    const topic = iface.getEvent('Anchored')!.topicHash;
    const logs = await provider.getLogs({
      address: this.address,
      topics: treeSize === null ? [topic] : [topic, treeSizeTopic(treeSize)],
      fromBlock,
      toBlock: 'latest',
    });
    return logs.map(toAnchorEvent);
  }

  async #call(name: 'latest' | 'checkpointAt' | 'count', args: readonly unknown[]) {
    const provider = await this.#connect();
    const data = await provider.call({ to: this.address, data: iface.encodeFunctionData(name, args) });
    return iface.decodeFunctionResult(name, data);
  }

  /** Sends, waits for one confirmation, and insists on success. */
  async #send(signer: BaseWallet, request: TransactionRequest) {
    const response = await signer.sendTransaction(request);
    const receipt = await response.wait(1, this.#options.confirmTimeoutMs ?? 120_000);
    if (!receipt || receipt.status !== 1) {
      throw new ChainError('unavailable', 'chain_tx_failed', `transaction ${response.hash} failed on chain`);
    }
    return receipt;
  }

  /** The provider, created on first use (see createRpcProvider); a failed attempt is retried on the next call. */
  #connect(): Promise<JsonRpcProvider> {
    this.#provider ??= createRpcProvider(this.#options).catch((error: unknown) => {
      this.#provider = undefined;
      throw error;
    });
    return this.#provider;
  }
}

function toAnchorEvent(log: Log): AnchorEvent {
  const parsed = iface.parseLog(log);
  if (!parsed) throw new Error(`unexpected log in ${log.transactionHash}`);
  return {
    treeSize: toSafeNumber(parsed.args[0], 'treeSize'),
    rootHash: String(parsed.args[1]).toLowerCase(),
    timestamp: toSafeNumber(parsed.args[2], 'timestamp'),
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
    logIndex: log.index,
  };
}

/** The ProvenanceAnchor custom error name inside a call exception, if any. */
function revertReason(error: unknown): string | null {
  if (!isCallException(error) || !error.data) return null;
  return iface.parseError(error.data)?.name ?? null;
}
