import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Wallet } from 'ethers';
import { APP_CONFIG, Clock, type AppConfig } from '@app/core';
import { AnchorClient, checkChainHealth } from '@app/chain';
import type { SignedTreeHead } from './core/tree-head.js';
import { LedgerStore } from './ledger-store.js';
import { LEDGER_KEY } from './tree-head.service.js';

/** Supplies the ProvenanceAnchor creation bytecode, for a first deployment on a chain with no contract yet. */
export const ANCHOR_BYTECODE = Symbol('ANCHOR_BYTECODE');
export type AnchorBytecodeSource = () => Promise<string>;

/** anvil's and hardhat's chain id: the only chain on which the exchange funds its own key. */
const DEV_CHAIN_ID = 31337;

export interface AnchorState {
  mode: 'off' | 'local' | 'rpc';
  ok: boolean;
  chainId?: number;
  blockNumber?: number;
  contract?: string;
  lastAnchor?: { treeSize: number; txHash: string; anchoredAt: string };
  detail?: string;
}

/** Where this exchange anchors its heads, as far as it knows without asking the chain. */
export interface AnchorTarget {
  mode: 'off' | 'local' | 'rpc';
  /** The chain's id; null until the contract is attached or an anchor is recorded. */
  chainId: number | null;
  /** The ProvenanceAnchor contract; null until configured, deployed or attached. */
  contract: string | null;
}

/**
 * Puts the newest signed head on chain every `anchorEveryEntries` entries or `anchorIntervalSeconds`, whichever
 * first. Anchoring is idempotent per tree size (the client and the contract both refuse a second write), so a retry
 * or a second API node never writes twice.
 */
@Injectable()
export class AnchoringService {
  private readonly logger = new Logger('anchoring');
  private client: AnchorClient | null = null;
  private chainId: number | null = null;
  private attaching: Promise<AnchorClient> | null = null;

  constructor(
    private readonly store: LedgerStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
    @Optional() @Inject(ANCHOR_BYTECODE) private readonly bytecode?: AnchorBytecodeSource,
  ) {}

  private get rpcUrl(): string | null {
    return this.config.chain.mode === 'rpc' ? this.config.chain.url : null;
  }

  async lastAnchor(): Promise<{ treeSize: number; txHash: string; anchoredAt: Date } | null> {
    const last = await this.store.lastAnchor();
    return last ? { treeSize: last.treeSize, txHash: last.txHash, anchoredAt: last.anchoredAt } : null;
  }

  /**
   * The contract heads are anchored in, for `/v1/ledger/key`: the attached contract, else the one of the newest
   * recorded anchor, else the configured ANCHOR_CONTRACT. Asks no chain.
   */
  async target(): Promise<AnchorTarget> {
    const mode = this.config.chain.mode;
    if (!this.rpcUrl) return { mode, chainId: null, contract: null };
    if (this.client) return { mode, chainId: this.chainId, contract: this.client.address };
    const last = await this.store.lastAnchor();
    if (last) return { mode, chainId: last.chainId, contract: last.contract };
    const configured = this.config.chain.mode === 'rpc' ? this.config.chain.anchorContract : null;
    return { mode, chainId: null, contract: configured };
  }

  /**
   * Attaches the contract (deploying one on a chain that has none) so its address is known before the first
   * anchor, then anchors `head` when it is due; returns whether it was written. Never throws: a chain outage must
   * not stop the API.
   */
  async anchorIfDue(head: SignedTreeHead): Promise<boolean> {
    if (!this.rpcUrl) return false;
    try {
      await this.attached();
      if (head.treeSize === 0) return false;
      const last = await this.lastAnchor();
      const pending = head.treeSize - (last?.treeSize ?? 0);
      const age = last ? this.clock.now().getTime() - last.anchoredAt.getTime() : Infinity;
      if (pending <= 0) return false;
      if (
        pending < this.config.ledger.anchorEveryEntries &&
        age < this.config.ledger.anchorIntervalSeconds * 1000
      )
        return false;
      await this.anchor(head);
      return true;
    } catch (error) {
      this.logger.warn(`anchoring tree size ${head.treeSize} failed: ${(error as Error).message}`);
      return false;
    }
  }

  /** Writes `head` on chain now and records the anchor. */
  async anchor(head: SignedTreeHead): Promise<void> {
    const client = await this.attached();
    const root = Buffer.from(head.rootHash, 'base64');
    const receipt = await client.anchor(head.treeSize, root);
    const { chainId } = await client.health();
    await this.store.insertAnchor({
      treeSize: head.treeSize,
      rootHash: root.toString('hex'),
      chainId: chainId ?? 0,
      contract: client.address,
      txHash: receipt.txHash,
      blockNumber: receipt.blockNumber,
      anchoredAt: this.clock.now(),
    });
    this.logger.log(`anchored tree size ${head.treeSize} in ${receipt.txHash}`);
  }

  async status(): Promise<AnchorState> {
    const mode = this.config.chain.mode;
    if (mode === 'off') return { mode, ok: true, detail: 'anchoring is off (CHAIN_RPC_URL=off)' };
    if (!this.rpcUrl)
      return { mode, ok: false, detail: 'no chain: npm start runs a local anvil, or set CHAIN_RPC_URL' };
    const health = await checkChainHealth(this.rpcUrl, 1500);
    const last = await this.lastAnchor();
    return {
      mode,
      ok: health.reachable,
      chainId: health.chainId,
      blockNumber: health.blockNumber,
      contract: this.client?.address,
      ...(last
        ? {
            lastAnchor: {
              treeSize: last.treeSize,
              txHash: last.txHash,
              anchoredAt: last.anchoredAt.toISOString(),
            },
          }
        : {}),
      ...(health.reachable ? {} : { detail: health.error }),
    };
  }

  /** The contract: ANCHOR_CONTRACT, else the one this exchange deployed on this chain before, else a new deployment. */
  private attached(): Promise<AnchorClient> {
    if (this.client) return Promise.resolve(this.client);
    this.attaching ??= this.attach().finally(() => (this.attaching = null));
    return this.attaching;
  }

  private async attach(): Promise<AnchorClient> {
    const client = new AnchorClient({ rpcUrl: this.rpcUrl! });
    const { chainId, reachable, error } = await client.health();
    if (!reachable || chainId === undefined) throw new Error(`chain unreachable: ${error ?? 'no chain id'}`);
    const configured = this.config.chain.mode === 'rpc' ? this.config.chain.anchorContract : null;
    const known = configured ?? (await this.store.anchorContract(chainId));
    if (known) {
      client.attach(known, { signer: this.key });
    } else {
      if (!this.bytecode) throw new Error('no ANCHOR_CONTRACT and no contract bytecode to deploy one');
      if (chainId === DEV_CHAIN_ID) await this.fundOnDevChain();
      const deployed = await client.deploy(this.key, await this.bytecode());
      // Two nodes may deploy at once: the first recorded is the exchange's contract on this chain.
      const recorded = await this.store.insertAnchorContract(chainId, deployed.address, this.clock.now());
      if (recorded !== deployed.address) client.attach(recorded, { signer: this.key });
      this.logger.log(`deployed ProvenanceAnchor at ${deployed.address} on chain ${chainId}`);
    }
    this.client = client;
    this.chainId = chainId;
    return client;
  }

  /** On anvil the exchange pays its own gas: give the ledger key 100 ETH of test money. */
  private async fundOnDevChain(): Promise<void> {
    const response = await fetch(this.rpcUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'anvil_setBalance',
        params: [this.key.address, '0x56bc75e2d63100000'],
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`anvil_setBalance answered ${response.status}`);
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
