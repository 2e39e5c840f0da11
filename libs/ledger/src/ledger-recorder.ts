import { Inject, Injectable } from '@nestjs/common';
import type { Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { APP_CONFIG, Clock, type AppConfig } from '@app/core';
import { hashLeaf } from './core/hash-algorithm.js';
import { encodeLeafInput } from './core/leaf-encoding.js';
import type { JsonValue, LedgerActor, LedgerEntry } from './core/ledger-entry.js';
import { appendLeaves } from './core/merkle-tree.js';
import { SqlNodeStore } from './sql-node-store.js';

/** What happened, as a use case states it; the recorder adds index and time. */
export interface LedgerEvent {
  actor: LedgerActor;
  /** `domain.pastTense`, e.g. `account.roleGranted`. */
  action: string;
  subjectIds: string[];
  payload: JsonValue;
}

/** The width of `ledger_subjects.subject_id`: ids are this platform's own (UUIDs and the like). */
const MAX_SUBJECT_ID = 100;

export const SYSTEM_ACTOR: LedgerActor = { accountId: null, organisationId: null };

/**
 * Appends ledger entries inside the caller's transaction, so an entry exists exactly when its state change does.
 * The `ledger_state` row is the append lock: its update makes concurrent appenders wait (PostgreSQL row lock,
 * SQLite's single writer) and hands out gap-free indexes.
 */
@Injectable()
export class LedgerRecorder {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Precondition: `em` is inside a transaction (UnitOfWork.run). Returns the entries as written. */
  async record(em: EntityManager, events: readonly LedgerEvent[]): Promise<LedgerEntry[]> {
    if (events.length === 0) return [];
    const tooLong = events.flatMap((e) => e.subjectIds).find((id) => id.length > MAX_SUBJECT_ID);
    if (tooLong !== undefined) throw new Error(`ledger subject ids are at most ${MAX_SUBJECT_ID} characters`);
    const ctx = em.getTransactionContext<Transaction<object>>();
    if (!ctx) throw new Error('ledger entries are written inside the use case transaction');
    const connection = em.getConnection();
    const [state] = await connection.execute<{ size: number | string }[]>(
      'update "ledger_state" set "size" = "size" + ? where "id" = 1 returning "size"',
      [events.length],
      'all',
      ctx,
    );
    const start = Number(state.size) - events.length;
    const time = this.clock.now().toISOString();
    const entries: LedgerEntry[] = events.map((e, i) => ({
      index: start + i,
      time,
      actor: e.actor,
      action: e.action,
      subjectIds: e.subjectIds,
      payload: e.payload,
    }));
    const algorithm = this.config.ledgerHash;
    const leafInputs = entries.map(encodeLeafInput);
    const leafHashes = leafInputs.map((input) => hashLeaf(algorithm, input));
    await connection.execute(
      `insert into "ledger_entries" ("leaf_index", "recorded_at", "actor_account_id", "actor_organisation_id",
        "action", "leaf_input", "leaf_hash") values ${entries.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      entries.flatMap((e, i) => [
        e.index,
        e.time,
        e.actor.accountId,
        e.actor.organisationId,
        e.action,
        Buffer.from(leafInputs[i]).toString('utf8'),
        Buffer.from(leafHashes[i]).toString('hex'),
      ]),
      'all',
      ctx,
    );
    const subjects = entries.flatMap((e) => [...new Set(e.subjectIds)].map((id) => [e.index, id]));
    if (subjects.length > 0) {
      await connection.execute(
        `insert into "ledger_subjects" ("leaf_index", "subject_id") values ${subjects.map(() => '(?, ?)').join(', ')}`,
        subjects.flat(),
        'all',
        ctx,
      );
    }
    await appendLeaves(new SqlNodeStore(em, algorithm, start), start, leafHashes);
    return entries;
  }
}
