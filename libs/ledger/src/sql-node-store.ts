import type { Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { HashAlgorithm } from './core/hash-algorithm.js';
import type { NodeKey, NodeStore, StoredNode } from './core/node-store.js';

const INSERT_CHUNK = 300;

/**
 * The perfect-subtree hashes in table `ledger_nodes` (level, node_index, hash hex), read and written through the
 * caller's entity manager so appends join the use case's transaction. Precondition: the caller holds the ledger
 * append lock (the `ledger_state` row) for the duration of any append.
 */
export class SqlNodeStore implements NodeStore {
  constructor(
    private readonly em: EntityManager,
    readonly hashAlgorithm: HashAlgorithm,
    private readonly knownSize?: number,
  ) {}

  private execute<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.em
      .getConnection()
      .execute<T[]>(sql, params, 'all', this.em.getTransactionContext<Transaction<object>>());
  }

  async size(): Promise<number> {
    if (this.knownSize !== undefined) return this.knownSize;
    const [row] = await this.execute<{ n: number | string }>(
      'select count(*) as n from "ledger_nodes" where "level" = 0',
    );
    return Number(row?.n ?? 0);
  }

  async getNodes(keys: readonly NodeKey[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const where = keys.map(() => '("level" = ? and "node_index" = ?)').join(' or ');
    const rows = await this.execute<{ level: number; node_index: number | string; hash: string }>(
      `select "level", "node_index", "hash" from "ledger_nodes" where ${where}`,
      keys.flatMap((k) => [k.level, k.index]),
    );
    const found = new Map(rows.map((r) => [`${r.level}:${r.node_index}`, Buffer.from(r.hash, 'hex')]));
    return keys.map((k) => found.get(`${k.level}:${k.index}`));
  }

  async putNodes(nodes: readonly StoredNode[]): Promise<void> {
    for (let i = 0; i < nodes.length; i += INSERT_CHUNK) {
      const chunk = nodes.slice(i, i + INSERT_CHUNK);
      await this.execute(
        `insert into "ledger_nodes" ("level", "node_index", "hash") values ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((n) => [n.level, n.index, Buffer.from(n.hash).toString('hex')]),
      );
    }
  }
}
