import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import type { Wallet } from 'ethers';
import { APP_CONFIG, Clock, type AppConfig } from '@app/core';
import { AnchorClient, checkChainHealth } from '@app/chain';
import type { SignedTreeHead } from './core/tree-head.js';
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

/**
 * Puts the newest signed head on chain every `anchorEveryEntries` entries or `anchorIntervalSeconds`, whichever
 * first. Anchoring is idempotent per tree size (the client and the contract both refuse a second write), so a retry
 * or a second API node never writes twice.
 */
@Injectable()
export class AnchoringService {
  private readonly logger = new Logger('anchoring');
  private client: AnchorClient | null = null;
  private attaching: Promise<AnchorClient> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
    @Optional() @Inject(ANCHOR_BYTECODE) private readonly bytecode?: AnchorBytecodeSource,
  ) {}

  private get rpcUrl(): string | null {
    return this.config.chain.mode === 'rpc' ? this.config.chain.url : null;
  }

  private get connection(): AbstractSqlConnection {
    return this.orm.em.getConnection() as AbstractSqlConnection;
  }

  async lastAnchor(): Promise<{ treeSize: number; txHash: string; anchoredAt: Date } | null> {
    const [row] = await this.connection.execute<
      { tree_size: number | string; tx_hash: string; anchored_at: string | Date }[]
    >('select "tree_size", "tx_hash", "anchored_at" from "ledger_anchors" order by "tree_size" desc limit 1');
    return row
      ? { treeSize: Number(row.tree_size), txHash: row.tx_hash, anchoredAt: new Date(row.anchored_at) }
      : null;
  }

  /** Anchors `head` when it is due; returns whether it was written. Never throws: a chain outage must not stop the API. */
  async anchorIfDue(head: SignedTreeHead): Promise<boolean> {
    if (!this.rpcUrl || head.treeSize === 0) return false;
    try {
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
    await this.connection.execute(
      `insert into "ledger_anchors" ("tree_size", "root_hash", "chain_id", "contract", "tx_hash", "block_number", "anchored_at")
       values (?, ?, ?, ?, ?, ?, ?) on conflict ("tree_size") do nothing`,
      [
        head.treeSize,
        root.toString('hex'),
        chainId ?? 0,
        client.address,
        receipt.txHash,
        receipt.blockNumber,
        this.clock.now().toISOString(),
      ],
    );
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
    const [known] = await this.connection.execute<{ address: string }[]>(
      'select "address" from "chain_contracts" where "chain_id" = ?',
      [chainId],
    );
    if (configured ?? known?.address) {
      client.attach(configured ?? known?.address, { signer: this.key });
    } else {
      if (!this.bytecode) throw new Error('no ANCHOR_CONTRACT and no contract bytecode to deploy one');
      if (chainId === DEV_CHAIN_ID) await this.fundOnDevChain();
      const deployed = await client.deploy(this.key, await this.bytecode());
      await this.connection.execute(
        'insert into "chain_contracts" ("chain_id", "address", "deployed_at") values (?, ?, ?) on conflict ("chain_id") do nothing',
        [chainId, deployed.address, this.clock.now().toISOString()],
      );
      this.logger.log(`deployed ProvenanceAnchor at ${deployed.address} on chain ${chainId}`);
    }
    this.client = client;
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
