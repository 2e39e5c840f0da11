import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { APP_CONFIG, Clock, type AppConfig } from '@app/core';
import { hashLeaf } from './core/hash-algorithm.js';
import { encodeLeafInput } from './core/leaf-encoding.js';
import type { JsonValue, LedgerActor, LedgerEntry } from './core/ledger-entry.js';
import { appendLeaves } from './core/merkle-tree.js';
import { LedgerStore } from './ledger-store.js';

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
 * The store's append lock (`LedgerStore.reserveIndexes`) makes concurrent appenders wait and hands out gap-free
 * indexes.
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
    const store = LedgerStore.within(em);
    if (!store.inTransaction) throw new Error('ledger entries are written inside the use case transaction');
    const start = await store.reserveIndexes(events.length);
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
    await store.insertEntries(
      entries.map((e, i) => ({
        leafIndex: e.index,
        recordedAt: e.time,
        actorAccountId: e.actor.accountId,
        actorOrganisationId: e.actor.organisationId,
        action: e.action,
        leafInput: leafInputs[i],
        leafHash: leafHashes[i],
      })),
    );
    await store.insertSubjects(
      entries.flatMap((e) => [...new Set(e.subjectIds)].map((id) => [e.index, id] as const)),
    );
    await appendLeaves(store.nodes(algorithm, start), start, leafHashes);
    return entries;
  }
}
