// Database append figures: the real LedgerRecorder inside real transactions (UnitOfWork), on SQLite
// and on PostgreSQL, plus proof times read back through SqlNodeStore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { loadConfig, SystemClock, type AppConfig } from '@app/core';
import { openDatabase, UnitOfWork } from '@app/database';
import { LedgerRecorder, LedgerStore, type LedgerEvent } from '@app/ledger';
import { consistencyProof, inclusionProof } from '@app/ledger/core';
import { median, report } from '../report.js';
import { createScratchDatabase, postgresServerUrl } from '../postgres-server.js';
export { postgresReachable } from '../postgres-server.js';

const BENCH = 'ledger';

export type BenchDb = 'sqlite' | 'postgresql';

/** A migrated, empty database of one kind, and how to get rid of it. */
export interface BenchDatabase {
  db: BenchDb;
  config: AppConfig;
  orm: MikroORM;
  uow: UnitOfWork;
  recorder: LedgerRecorder;
  dispose(): Promise<void>;
}

/** The PostgreSQL server the bench uses, without its password. */
export function postgresServer(): string {
  const url = new URL(postgresServerUrl());
  return `${url.hostname}:${url.port || '5432'}`;
}

export async function openBenchDatabase(db: BenchDb): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-db-bench-'));
  const scratch = db === 'postgresql' ? await createScratchDatabase() : undefined;
  const databaseUrl = scratch?.url ?? `sqlite:${join(dir, 'b.sqlite')}`;
  const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: databaseUrl, CHAIN_RPC_URL: 'off' });
  const orm = await openDatabase(config, []);
  // What LedgerModule does on first boot: the ledger keeps the hash it was started with.
  await LedgerStore.of(orm).claimHashAlgorithm(config.ledgerHash);
  return {
    db,
    config,
    orm,
    uow: new UnitOfWork(orm),
    recorder: new LedgerRecorder(config, new SystemClock()),
    async dispose() {
      await orm.close(true);
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function benchEvent(i: number): LedgerEvent {
  return {
    actor:
      i % 10 === 0
        ? { accountId: null, organisationId: null }
        : { accountId: `acc_${i % 997}`, organisationId: `org_${i % 89}` },
    action: 'bench.appended',
    subjectIds: [`el_${i % 50_021}`, `ct_${i % 7_919}`],
    payload: { amount: (i * 7) % 10_000, currency: 'CNY', reference: `ref-${i.toString(36)}` },
  };
}

/** Appends `count` entries, `batch` per transaction (sequential transactions). Returns entries per second. */
export async function appendEntries(
  database: BenchDatabase,
  count: number,
  batch: number,
  from = 0,
): Promise<number> {
  const started = performance.now();
  for (let at = 0; at < count; at += batch) {
    const events = Array.from({ length: Math.min(batch, count - at) }, (_, i) => benchEvent(from + at + i));
    await database.uow.run((em) => database.recorder.record(em, events));
  }
  return count / ((performance.now() - started) / 1000);
}

/** `append_single_per_s.<db>` (one entry per transaction) and `append_batched_per_s.<db>` (`batch` per transaction). */
export async function benchDbAppend(
  db: BenchDb,
  sizes: { single: number; batched: number; batch: number; runs: number },
): Promise<void> {
  const single: number[] = [];
  const batched: number[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    const database = await openBenchDatabase(db);
    try {
      single.push(await appendEntries(database, sizes.single, 1));
      batched.push(await appendEntries(database, sizes.batched, sizes.batch, sizes.single));
    } finally {
      await database.dispose();
    }
  }
  report({
    bench: BENCH,
    figure: `append_single_per_s.${db}`,
    value: Math.round(median(single)),
    unit: 'entries/s',
    n: sizes.single,
  });
  report({
    bench: BENCH,
    figure: `append_batched_per_s.${db}`,
    value: Math.round(median(batched)),
    unit: 'entries/s',
    n: sizes.batched,
  });
  report({
    bench: BENCH,
    figure: `append_batch_size.${db}`,
    value: sizes.batch,
    unit: 'entries',
    n: sizes.runs,
  });
}

/** Fills a SQLite ledger with `treeSize` entries by batched appends, then times proofs read through SqlNodeStore. */
export async function benchSqlProofs(treeSize: number, samples = 500, batch = 1000): Promise<void> {
  const database = await openBenchDatabase('sqlite');
  try {
    const fillRate = await appendEntries(database, treeSize, batch);
    report({
      bench: BENCH,
      figure: 'sql_fill_per_s.sqlite',
      value: Math.round(fillRate),
      unit: 'entries/s',
      n: treeSize,
    });
    const store = LedgerStore.of(database.orm).nodes(database.config.ledgerHash);
    let state = 12345;
    const next = (bound: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.floor((state / 2 ** 32) * bound);
    };
    const time = async (make: () => Promise<unknown>): Promise<number> => {
      const started = process.hrtime.bigint();
      await make();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let i = 0; i < samples; i++) {
      inclusion.push(await time(() => inclusionProof(store, next(treeSize), treeSize)));
      const first = 1 + next(treeSize - 1);
      consistency.push(await time(() => consistencyProof(store, first, treeSize)));
    }
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    report({
      bench: BENCH,
      figure: 'sql_inclusion_proof_ms.sqlite',
      value: round(median(inclusion)),
      unit: 'ms',
      n: treeSize,
    });
    report({
      bench: BENCH,
      figure: 'sql_consistency_proof_ms.sqlite',
      value: round(median(consistency)),
      unit: 'ms',
      n: treeSize,
    });
  } finally {
    await database.dispose();
  }
}
