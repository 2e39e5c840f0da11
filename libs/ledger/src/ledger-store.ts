import type { MikroORM, Transaction } from '@mikro-orm/core';
import type { AbstractSqlConnection, EntityManager } from '@mikro-orm/sql';
import type { HashAlgorithm } from './core/hash-algorithm.js';
import type { NodeKey, NodeStore, StoredNode } from './core/node-store.js';
import type { SignedTreeHead } from './core/tree-head.js';

/** An entry as stored: the exact leaf input bytes, and what the index columns say about it. */
export interface StoredEntry {
  leafIndex: number;
  leafInput: Buffer;
  leafHash: Buffer;
}

/** An entry row to append: the indexed columns and the entry's exact bytes and leaf hash. */
export interface EntryRow {
  leafIndex: number;
  recordedAt: string;
  actorAccountId: string | null;
  actorOrganisationId: string | null;
  action: string;
  leafInput: Uint8Array;
  leafHash: Uint8Array;
}

export interface EntrySearch {
  subjectId?: string;
  actorAccountId?: string;
  actorOrganisationId?: string;
  action?: string;
  /** Entries an organisation did or that concern it: what a party may read of the ledger. */
  involvingOrganisation?: string;
  from?: Date;
  to?: Date;
  /** Entries after this index (keyset pagination). */
  after?: number;
  /** Entries below this index only (e.g. those a tree head covers). */
  before?: number;
  limit: number;
}

/** An anchor of a signed head on chain, as recorded. */
export interface AnchorRow {
  treeSize: number;
  /** Hex, no 0x. */
  rootHash: string;
  chainId: number;
  contract: string;
  txHash: string;
  blockNumber: number;
  anchoredAt: Date;
}

type Row = Record<string, unknown>;
type Execute = (sql: string, params: readonly unknown[]) => Promise<Row[]>;

interface EntryRecord {
  leaf_index: number | string;
  leaf_input: string;
  leaf_hash: string;
}

interface HeadRecord {
  tree_size: number | string;
  root_hash: string;
  timestamp_ms: number | string;
  hash_algorithm: HashAlgorithm;
  signature: string;
}

/** Rows per multi-row insert: well under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const INSERT_ROWS = 300;
/** Bound parameters per node read: a page of inclusion proofs needs a few hundred at most, so one statement. */
const NODE_READ_PARAMS = 1000;

const toEntry = (r: EntryRecord): StoredEntry => ({
  leafIndex: Number(r.leaf_index),
  leafInput: Buffer.from(r.leaf_input, 'utf8'),
  leafHash: Buffer.from(r.leaf_hash, 'hex'),
});

const toHead = (r: HeadRecord): SignedTreeHead => ({
  treeSize: Number(r.tree_size),
  rootHash: Buffer.from(r.root_hash, 'hex').toString('base64'),
  timestamp: Number(r.timestamp_ms),
  hashAlgorithm: r.hash_algorithm,
  signature: r.signature,
});

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/**
 * Every SQL statement of the ledger, in one place: appends (the append lock, entries, subjects, Merkle nodes),
 * signed heads (the head lock), anchors, and the reads behind the audit API. Values are always bound parameters
 * (`?` placeholders), never text in the SQL. `LedgerStore.of(orm)` runs each statement on its own; `within(em)`
 * runs them in that entity manager's transaction, which the locks and appends require.
 */
export class LedgerStore {
  private constructor(
    private readonly execute: Execute,
    readonly inTransaction: boolean,
  ) {}

  /** Statements outside any transaction (each commits on its own). */
  static of(orm: MikroORM): LedgerStore {
    const connection = orm.em.getConnection() as AbstractSqlConnection;
    return new LedgerStore((sql, params) => connection.execute<Row[]>(sql, [...params]), false);
  }

  /** Statements inside `em`'s transaction (the use case's); outside one when `em` has none. */
  static within(em: EntityManager): LedgerStore {
    const ctx = em.getTransactionContext<Transaction<object>>();
    const connection = em.getConnection();
    return new LedgerStore(
      (sql, params) => connection.execute<Row[]>(sql, [...params], 'all', ctx),
      ctx !== undefined,
    );
  }

  private async rows<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.execute(sql, params)) as T[];
  }

  // ---- ledger state --------------------------------------------------------------------------------------------

  /** Entries committed so far (the next leaf index). */
  async size(): Promise<number> {
    const [row] = await this.rows<{ size: number | string }>(
      'select "size" from "ledger_state" where "id" = ?',
      [1],
    );
    return Number(row?.size ?? 0);
  }

  /** Records `algorithm` as the ledger's hash if none is yet; returns the one the ledger was built with. */
  async claimHashAlgorithm(algorithm: HashAlgorithm): Promise<string | null> {
    await this.execute(
      'update "ledger_state" set "hash_algorithm" = ? where "id" = ? and "hash_algorithm" is null',
      [algorithm, 1],
    );
    const [row] = await this.rows<{ hash_algorithm: string | null }>(
      'select "hash_algorithm" from "ledger_state" where "id" = ?',
      [1],
    );
    return row?.hash_algorithm ?? null;
  }

  // ---- appends (inside the use case's transaction) -------------------------------------------------------------

  /**
   * The append lock: reserves `count` gap-free leaf indexes and returns the first. The update of the one
   * `ledger_state` row makes concurrent appenders wait (PostgreSQL row lock, SQLite's single writer) until this
   * transaction ends. Precondition: inside a transaction.
   */
  async reserveIndexes(count: number): Promise<number> {
    this.requireTransaction('ledger appends');
    const [row] = await this.rows<{ size: number | string }>(
      'update "ledger_state" set "size" = "size" + ? where "id" = ? returning "size"',
      [count, 1],
    );
    return Number(row.size) - count;
  }

  /** Precondition: holds the append lock for these indexes (`reserveIndexes`). */
  async insertEntries(entries: readonly EntryRow[]): Promise<void> {
    for (let i = 0; i < entries.length; i += INSERT_ROWS) {
      const chunk = entries.slice(i, i + INSERT_ROWS);
      await this.execute(
        `insert into "ledger_entries" ("leaf_index", "recorded_at", "actor_account_id", "actor_organisation_id",
          "action", "leaf_input", "leaf_hash") values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((e) => [
          e.leafIndex,
          e.recordedAt,
          e.actorAccountId,
          e.actorOrganisationId,
          e.action,
          Buffer.from(e.leafInput.buffer, e.leafInput.byteOffset, e.leafInput.byteLength).toString('utf8'),
          hex(e.leafHash),
        ]),
      );
    }
  }

  async insertSubjects(pairs: readonly (readonly [leafIndex: number, subjectId: string])[]): Promise<void> {
    for (let i = 0; i < pairs.length; i += INSERT_ROWS) {
      const chunk = pairs.slice(i, i + INSERT_ROWS);
      await this.execute(
        `insert into "ledger_subjects" ("leaf_index", "subject_id") values ${chunk.map(() => '(?, ?)').join(', ')}`,
        chunk.flat(),
      );
    }
  }

  /**
   * The Merkle tree's perfect-subtree hashes (table `ledger_nodes`) as a `NodeStore`. `knownSize` saves counting
   * the leaves when the caller knows it. Precondition for appends through it: inside the transaction holding the
   * append lock.
   */
  nodes(hashAlgorithm: HashAlgorithm, knownSize?: number): NodeStore {
    return {
      hashAlgorithm,
      size: async () => knownSize ?? (await this.leafCount()),
      getNodes: (keys) => this.getNodes(keys),
      putNodes: (nodes) => this.putNodes(nodes),
    };
  }

  private async leafCount(): Promise<number> {
    const [row] = await this.rows<{ n: number | string }>(
      'select count(*) as "n" from "ledger_nodes" where "level" = ?',
      [0],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * One statement for a page of proofs: the wanted indexes grouped by level, `("level" = ? and "node_index" in (…))`
   * per level, so each level is one index range scan. Keys may repeat; each node is read once.
   */
  private async getNodes(keys: readonly NodeKey[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const byLevel = new Map<number, Set<number>>();
    for (const k of keys) {
      const indexes = byLevel.get(k.level) ?? new Set<number>();
      indexes.add(k.index);
      byLevel.set(k.level, indexes);
    }
    const statements: { clauses: string[]; params: number[] }[] = [];
    let current = { clauses: [] as string[], params: [] as number[] };
    for (const [level, set] of byLevel) {
      const indexes = [...set];
      for (let i = 0; i < indexes.length; i += NODE_READ_PARAMS) {
        const part = indexes.slice(i, i + NODE_READ_PARAMS);
        if (current.params.length > 0 && current.params.length + part.length + 1 > NODE_READ_PARAMS) {
          statements.push(current);
          current = { clauses: [], params: [] };
        }
        current.clauses.push(`("level" = ? and "node_index" in (${part.map(() => '?').join(', ')}))`);
        current.params.push(level, ...part);
      }
    }
    statements.push(current);
    const found = new Map<string, Buffer>();
    for (const { clauses, params } of statements) {
      const rows = await this.rows<{ level: number | string; node_index: number | string; hash: string }>(
        `select "level", "node_index", "hash" from "ledger_nodes" where ${clauses.join(' or ')}`,
        params,
      );
      for (const r of rows) found.set(`${r.level}:${r.node_index}`, Buffer.from(r.hash, 'hex'));
    }
    return keys.map((k) => found.get(`${k.level}:${k.index}`));
  }

  private async putNodes(nodes: readonly StoredNode[]): Promise<void> {
    this.requireTransaction('Merkle node appends');
    for (let i = 0; i < nodes.length; i += INSERT_ROWS) {
      const chunk = nodes.slice(i, i + INSERT_ROWS);
      await this.execute(
        `insert into "ledger_nodes" ("level", "node_index", "hash") values ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((n) => [n.level, n.index, hex(n.hash)]),
      );
    }
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  /** Entries [start, end) in index order. */
  async range(start: number, end: number): Promise<StoredEntry[]> {
    const rows = await this.rows<EntryRecord>(
      'select "leaf_index", "leaf_input", "leaf_hash" from "ledger_entries" where "leaf_index" >= ? and "leaf_index" < ? order by "leaf_index"',
      [start, end],
    );
    return rows.map(toEntry);
  }

  /** The leaf hashes the Merkle tree holds for [start, end): what the entries hashed to when they were written. */
  async treeLeafHashes(start: number, end: number): Promise<Map<number, Buffer>> {
    const rows = await this.rows<{ node_index: number | string; hash: string }>(
      'select "node_index", "hash" from "ledger_nodes" where "level" = ? and "node_index" >= ? and "node_index" < ?',
      [0, start, end],
    );
    return new Map(rows.map((r) => [Number(r.node_index), Buffer.from(r.hash, 'hex')]));
  }

  async search(query: EntrySearch): Promise<StoredEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.subjectId !== undefined) {
      where.push('e."leaf_index" in (select "leaf_index" from "ledger_subjects" where "subject_id" = ?)');
      params.push(query.subjectId);
    }
    for (const [column, value] of [
      ['actor_account_id', query.actorAccountId],
      ['actor_organisation_id', query.actorOrganisationId],
      ['action', query.action],
    ] as const) {
      if (value !== undefined) {
        where.push(`e."${column}" = ?`);
        params.push(value);
      }
    }
    if (query.involvingOrganisation !== undefined) {
      where.push(
        '(e."actor_organisation_id" = ? or e."leaf_index" in (select "leaf_index" from "ledger_subjects" where "subject_id" = ?))',
      );
      params.push(query.involvingOrganisation, query.involvingOrganisation);
    }
    if (query.from) {
      where.push('e."recorded_at" >= ?');
      params.push(query.from.toISOString());
    }
    if (query.to) {
      where.push('e."recorded_at" < ?');
      params.push(query.to.toISOString());
    }
    if (query.after !== undefined) {
      where.push('e."leaf_index" > ?');
      params.push(query.after);
    }
    if (query.before !== undefined) {
      where.push('e."leaf_index" < ?');
      params.push(query.before);
    }
    params.push(Math.max(0, Math.trunc(query.limit)));
    const rows = await this.rows<EntryRecord>(
      `select e."leaf_index", e."leaf_input", e."leaf_hash" from "ledger_entries" e
       ${where.length ? `where ${where.join(' and ')}` : ''} order by e."leaf_index" limit ?`,
      params,
    );
    return rows.map(toEntry);
  }

  // ---- signed tree heads ---------------------------------------------------------------------------------------

  /**
   * The head lock: one head is signed at a time, across every API node. Held until the transaction ends; it does
   * not block appends. Precondition: inside a transaction.
   */
  async lockHeads(): Promise<void> {
    this.requireTransaction('signing a tree head');
    const locked = await this.execute(
      'update "ledger_head_lock" set "id" = ? where "id" = ? returning "id"',
      [1, 1],
    );
    if (locked.length !== 1) throw new Error('the ledger head lock row is missing (migration 005)');
  }

  async head(treeSize: number): Promise<SignedTreeHead | null> {
    const [row] = await this.rows<HeadRecord>(
      'select "tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature" from "ledger_heads" where "tree_size" = ?',
      [treeSize],
    );
    return row ? toHead(row) : null;
  }

  async newestHead(): Promise<SignedTreeHead | null> {
    const [row] = await this.rows<HeadRecord>(
      'select "tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature" from "ledger_heads" order by "tree_size" desc limit 1',
    );
    return row ? toHead(row) : null;
  }

  /** The ledger's size and its newest head, read by one statement (so from one snapshot). */
  async sizeAndNewestHead(): Promise<{ size: number; newest: SignedTreeHead | null }> {
    const [row] = await this.rows<Partial<HeadRecord> & { size: number | string }>(
      `select s."size", h."tree_size", h."root_hash", h."timestamp_ms", h."hash_algorithm", h."signature"
       from "ledger_state" s left join (select "tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature"
         from "ledger_heads" order by "tree_size" desc limit 1) h on 1 = 1
       where s."id" = ?`,
      // LIMIT is a literal, not a parameter: SQLite then reads only the top of the index instead of
      // materialising every head (measured 32 µs against 6 µs per call).
      [1],
    );
    if (!row) return { size: 0, newest: await this.newestHead() };
    return {
      size: Number(row.size),
      newest: row.tree_size === null || row.tree_size === undefined ? null : toHead(row as HeadRecord),
    };
  }

  /** Heads with tree size at most `upTo`, ascending. */
  async heads(upTo: number): Promise<SignedTreeHead[]> {
    const rows = await this.rows<HeadRecord>(
      'select "tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature" from "ledger_heads" where "tree_size" <= ? order by "tree_size"',
      [upTo],
    );
    return rows.map(toHead);
  }

  /** Precondition: holds the head lock (`lockHeads`), and `head` is newer than the newest stored head. */
  async insertHead(head: SignedTreeHead, signer: string): Promise<void> {
    this.requireTransaction('signing a tree head');
    await this.execute(
      `insert into "ledger_heads" ("tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature", "signer")
       values (?, ?, ?, ?, ?, ?)`,
      [
        head.treeSize,
        Buffer.from(head.rootHash, 'base64').toString('hex'),
        head.timestamp,
        head.hashAlgorithm,
        head.signature,
        signer,
      ],
    );
  }

  // ---- anchors -------------------------------------------------------------------------------------------------

  async lastAnchor(): Promise<AnchorRow | null> {
    const [row] = await this.rows<{
      tree_size: number | string;
      root_hash: string;
      chain_id: number | string;
      contract: string;
      tx_hash: string;
      block_number: number | string;
      anchored_at: string | Date;
    }>(
      'select "tree_size", "root_hash", "chain_id", "contract", "tx_hash", "block_number", "anchored_at" from "ledger_anchors" order by "tree_size" desc limit 1',
    );
    return row
      ? {
          treeSize: Number(row.tree_size),
          rootHash: row.root_hash,
          chainId: Number(row.chain_id),
          contract: row.contract,
          txHash: row.tx_hash,
          blockNumber: Number(row.block_number),
          anchoredAt: new Date(row.anchored_at),
        }
      : null;
  }

  /** Records an anchor; a second record for the same tree size is ignored (anchoring is idempotent per size). */
  async insertAnchor(anchor: AnchorRow): Promise<void> {
    await this.execute(
      `insert into "ledger_anchors" ("tree_size", "root_hash", "chain_id", "contract", "tx_hash", "block_number", "anchored_at")
       values (?, ?, ?, ?, ?, ?, ?) on conflict ("tree_size") do nothing`,
      [
        anchor.treeSize,
        anchor.rootHash,
        anchor.chainId,
        anchor.contract,
        anchor.txHash,
        anchor.blockNumber,
        anchor.anchoredAt.toISOString(),
      ],
    );
  }

  /** The anchor contract this exchange deployed on a chain, if any. */
  async anchorContract(chainId: number): Promise<string | null> {
    const [row] = await this.rows<{ address: string }>(
      'select "address" from "chain_contracts" where "chain_id" = ?',
      [chainId],
    );
    return row?.address ?? null;
  }

  /** Records a deployment; the first one recorded for a chain wins. Returns the chain's contract. */
  async insertAnchorContract(chainId: number, address: string, deployedAt: Date): Promise<string> {
    await this.execute(
      'insert into "chain_contracts" ("chain_id", "address", "deployed_at") values (?, ?, ?) on conflict ("chain_id") do nothing',
      [chainId, address, deployedAt.toISOString()],
    );
    return (await this.anchorContract(chainId)) ?? address;
  }

  private requireTransaction(what: string): void {
    if (!this.inTransaction) throw new Error(`${what} must run inside a transaction (UnitOfWork.run)`);
  }
}
