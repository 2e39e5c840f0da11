import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection, EntityManager } from '@mikro-orm/sql';
import type { HashAlgorithm } from './core/hash-algorithm.js';
import type { SignedTreeHead } from './core/tree-head.js';
import { SqlNodeStore } from './sql-node-store.js';

/** An entry as stored: the exact leaf input bytes, and what the index columns say about it. */
export interface StoredEntry {
  leafIndex: number;
  leafInput: Buffer;
  leafHash: Buffer;
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
  limit: number;
}

interface EntryRow {
  leaf_index: number | string;
  leaf_input: string;
  leaf_hash: string;
}

interface HeadRow {
  tree_size: number | string;
  root_hash: string;
  timestamp_ms: number | string;
  hash_algorithm: HashAlgorithm;
  signature: string;
}

const toEntry = (r: EntryRow): StoredEntry => ({
  leafIndex: Number(r.leaf_index),
  leafInput: Buffer.from(r.leaf_input, 'utf8'),
  leafHash: Buffer.from(r.leaf_hash, 'hex'),
});

export const toHead = (r: HeadRow): SignedTreeHead => ({
  treeSize: Number(r.tree_size),
  rootHash: Buffer.from(r.root_hash, 'hex').toString('base64'),
  timestamp: Number(r.timestamp_ms),
  hashAlgorithm: r.hash_algorithm,
  signature: r.signature,
});

/** Reads of the ledger tables; nothing here writes. */
@Injectable()
export class LedgerReader {
  constructor(private readonly orm: MikroORM) {}

  private get connection(): AbstractSqlConnection {
    return this.orm.em.getConnection() as AbstractSqlConnection;
  }

  nodeStore(algorithm: HashAlgorithm): SqlNodeStore {
    return new SqlNodeStore(this.orm.em.fork() as EntityManager, algorithm);
  }

  async size(): Promise<number> {
    const [row] = await this.connection.execute<{ size: number | string }[]>(
      'select "size" from "ledger_state" where "id" = 1',
    );
    return Number(row?.size ?? 0);
  }

  /** Entries [start, end) in index order. */
  async range(start: number, end: number): Promise<StoredEntry[]> {
    const rows = await this.connection.execute<EntryRow[]>(
      'select "leaf_index", "leaf_input", "leaf_hash" from "ledger_entries" where "leaf_index" >= ? and "leaf_index" < ? order by "leaf_index"',
      [start, end],
    );
    return rows.map(toEntry);
  }

  /** The leaf hashes the Merkle tree holds for [start, end): what the entries hashed to when they were written. */
  async treeLeafHashes(start: number, end: number): Promise<Map<number, Buffer>> {
    const rows = await this.connection.execute<{ node_index: number | string; hash: string }[]>(
      'select "node_index", "hash" from "ledger_nodes" where "level" = 0 and "node_index" >= ? and "node_index" < ?',
      [start, end],
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
    const rows = await this.connection.execute<EntryRow[]>(
      `select e."leaf_index", e."leaf_input", e."leaf_hash" from "ledger_entries" e
       ${where.length ? `where ${where.join(' and ')}` : ''} order by e."leaf_index" limit ${Math.trunc(query.limit)}`,
      params,
    );
    return rows.map(toEntry);
  }

  async head(treeSize: number): Promise<SignedTreeHead | null> {
    const [row] = await this.connection.execute<HeadRow[]>(
      'select * from "ledger_heads" where "tree_size" = ?',
      [treeSize],
    );
    return row ? toHead(row) : null;
  }

  async newestHead(): Promise<SignedTreeHead | null> {
    const [row] = await this.connection.execute<HeadRow[]>(
      'select * from "ledger_heads" order by "tree_size" desc limit 1',
    );
    return row ? toHead(row) : null;
  }

  /** Heads with tree size at most `upTo`, ascending. */
  async heads(upTo: number): Promise<SignedTreeHead[]> {
    const rows = await this.connection.execute<HeadRow[]>(
      'select * from "ledger_heads" where "tree_size" <= ? order by "tree_size"',
      [upTo],
    );
    return rows.map(toHead);
  }
}
