// Settlement benchmarks. `npm run bench -- settlement [--quick]`.
// Transfers per second through the real SettlementService (idempotency key, guarded balance updates, append-only
// transfer rows, one transaction per call), single (one transfer per call) and batched (`executeBatch`, many per
// transaction), with and without a hot account (every transfer paying the platform fee account), on SQLite and
// PostgreSQL; and bytes stored per transfer. pgledger's published figures are printed beside ours as the peer,
// with the ratio. The method follows pgledger's performance_check.go: concurrent workers, each transfer between two
// random accounts of 50 (or into one hot account), the database's growth divided by the transfers made, measured
// after VACUUM FULL.
//
// The ledger: in production every settlement call also appends one entry to the Merkle ledger in the same
// transaction (`.with_ledger` figures). pgledger keeps no such audit log, so the like-for-like comparison is the
// figure without it; the ledger's append lock serialises every writer, which the `.with_ledger` figures show.
import { randomUUID } from 'node:crypto';
import { loadavg, cpus } from 'node:os';
import { SystemClock } from '@app/core';
import { PartyReader } from '@app/identity';
import { SYSTEM_ACTOR, type LedgerRecorder } from '@app/ledger';
import { SettlementService, type Operation } from '@app/settlement';
import { isQuick, median, report } from '../report.js';
import { openBenchDatabase, postgresReachable, postgresServer, type BenchDb } from '../ledger/db-append.js';

const BENCH = 'settlement';
const PGLEDGER = { transfersPerSecond: 10_637, hotTransfersPerSecond: 7_559, bytesPerTransfer: 743 };
const ACCOUNTS = 50;
const WORKERS = 10;
const BATCH = 100;

interface Scenario {
  name: string;
  hot: boolean;
  batch: number;
  ledger: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'single', hot: false, batch: 1, ledger: false },
  { name: 'single_hot', hot: true, batch: 1, ledger: false },
  { name: 'batched', hot: false, batch: BATCH, ledger: false },
  { name: 'batched_hot', hot: true, batch: BATCH, ledger: false },
  { name: 'single_with_ledger', hot: false, batch: 1, ledger: true },
  { name: 'batched_with_ledger', hot: false, batch: BATCH, ledger: true },
];

const TABLES = {
  transfers: ['settlement_transfers'],
  keys: ['settlement_idempotency'],
  ledger: ['ledger_entries', 'ledger_subjects', 'ledger_nodes'],
};

/** Deterministic pseudo-random integers in [0, bound), so runs are comparable. */
function randomInts(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  };
}

interface Outcome {
  perSecond: number;
  bytes: Record<keyof typeof TABLES, number>;
}

async function run(db: BenchDb, scenario: Scenario, count: number): Promise<Outcome> {
  const database = await openBenchDatabase(db);
  try {
    const noLedger = { record: () => Promise.resolve([]) } as unknown as LedgerRecorder;
    const service = new SettlementService(
      database.uow,
      scenario.ledger ? database.recorder : noLedger,
      new SystemClock(),
      new PartyReader(database.orm),
    );
    const organisations = Array.from({ length: ACCOUNTS }, () => randomUUID());
    await service.executeBatch(
      organisations.map((organisationId) => ({
        key: `fund/${organisationId}`,
        op: { name: 'deposit', organisationId, amount: 10n ** 14n },
      })),
      SYSTEM_ACTOR,
    );
    const before = await sizes(database.orm, db);
    const next = randomInts(42);
    const operation = (): Operation => {
      const from = next(ACCOUNTS);
      const to = (from + 1 + next(ACCOUNTS - 1)) % ACCOUNTS;
      return {
        name: 'transfer',
        fromAccountId: `available:${organisations[from]}`,
        toAccountId: scenario.hot ? 'platform_fee' : `available:${organisations[to]}`,
        amount: BigInt(1 + next(10_000)),
      };
    };
    let issued = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (issued < count) {
          const size = Math.min(scenario.batch, count - issued);
          issued += size;
          const items = Array.from({ length: size }, () => ({ key: randomUUID(), op: operation() }));
          if (size === 1) await service.execute(items[0].key, items[0].op, SYSTEM_ACTOR);
          else await service.executeBatch(items, SYSTEM_ACTOR);
        }
      }),
    );
    const perSecond = count / ((performance.now() - started) / 1000);
    const after = await sizes(database.orm, db);
    const per = (k: keyof typeof TABLES) => Math.round((after[k] - before[k]) / count);
    return { perSecond, bytes: { transfers: per('transfers'), keys: per('keys'), ledger: per('ledger') } };
  } finally {
    await database.dispose();
  }
}

/** Bytes of each table group with its indexes: PostgreSQL after VACUUM FULL (as pgledger measures), SQLite by page. */
async function sizes(
  orm: Awaited<ReturnType<typeof openBenchDatabase>>['orm'],
  db: BenchDb,
): Promise<Record<keyof typeof TABLES, number>> {
  const connection = orm.em.getConnection();
  const out = { transfers: 0, keys: 0, ledger: 0 };
  const all = Object.values(TABLES).flat();
  if (db === 'postgresql') {
    await connection.execute(`vacuum full ${all.map((t) => `"${t}"`).join(', ')}`, [], 'run');
    for (const [group, tables] of Object.entries(TABLES) as [keyof typeof TABLES, string[]][]) {
      const [row] = await connection.execute<{ bytes: string }[]>(
        `select cast(coalesce(sum(pg_total_relation_size(c.oid)), 0) as text) as "bytes" from pg_class c
         where c.relname in (${tables.map(() => '?').join(', ')}) and c.relkind = 'r'`,
        tables,
      );
      out[group] = Number(row.bytes);
    }
    return out;
  }
  for (const [group, tables] of Object.entries(TABLES) as [keyof typeof TABLES, string[]][]) {
    const [row] = await connection.execute<{ bytes: number | null }[]>(
      `select sum("pgsize") as "bytes" from "dbstat" where "name" in
         (select "name" from "sqlite_master" where "tbl_name" in (${tables.map(() => '?').join(', ')}))`,
      tables,
    );
    out[group] = Number(row.bytes ?? 0);
  }
  return out;
}

async function benchDatabase(db: BenchDb, sizes: { single: number; batched: number; runs: number }) {
  for (const scenario of SCENARIOS) {
    const count = scenario.batch === 1 ? sizes.single : sizes.batched;
    const outcomes: Outcome[] = [];
    for (let i = 0; i < sizes.runs; i++) outcomes.push(await run(db, scenario, count));
    const perSecond = Math.round(median(outcomes.map((o) => o.perSecond)));
    report({
      bench: BENCH,
      figure: `transfers_per_s.${scenario.name}.${db}`,
      value: perSecond,
      unit: 'transfers/s',
      n: count,
    });
    if (db === 'postgresql' && !scenario.ledger && scenario.batch === 1) {
      const peer = scenario.hot ? PGLEDGER.hotTransfersPerSecond : PGLEDGER.transfersPerSecond;
      report({
        bench: BENCH,
        figure: `vs_pgledger.${scenario.name}`,
        value: round(perSecond / peer),
        unit: 'ratio',
        n: count,
      });
    }
    if (scenario.name === 'single' || scenario.name === 'single_with_ledger') {
      const bytes = {
        transfers: median(outcomes.map((o) => o.bytes.transfers)),
        keys: median(outcomes.map((o) => o.bytes.keys)),
        ledger: median(outcomes.map((o) => o.bytes.ledger)),
      };
      const figures: [string, number][] =
        scenario.name === 'single'
          ? [
              ['bytes_per_transfer.transfers', bytes.transfers],
              ['bytes_per_transfer.with_keys', bytes.transfers + bytes.keys],
            ]
          : [['bytes_per_transfer.with_keys_and_ledger', bytes.transfers + bytes.keys + bytes.ledger]];
      for (const [figure, value] of figures) {
        report({ bench: BENCH, figure: `${figure}.${db}`, value, unit: 'bytes', n: count });
        if (db === 'postgresql')
          report({
            bench: BENCH,
            figure: `vs_pgledger.${figure}`,
            value: round(value / PGLEDGER.bytesPerTransfer),
            unit: 'ratio (lower is better)',
            n: count,
          });
      }
    }
  }
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

async function main(): Promise<void> {
  const quick = isQuick();
  const sizes = quick
    ? { single: 1_000, batched: 10_000, runs: 1 }
    : { single: 5_000, batched: 50_000, runs: 3 };
  report({
    bench: BENCH,
    figure: 'load_average_1m_at_start',
    value: round(loadavg()[0]),
    unit: 'load',
    n: cpus().length,
  });
  report({ bench: BENCH, figure: 'workers', value: WORKERS, unit: 'concurrent callers', n: ACCOUNTS });
  report({ bench: BENCH, figure: 'batch_size', value: BATCH, unit: 'transfers per transaction', n: 1 });
  report({
    bench: BENCH,
    figure: 'peer.pgledger.transfers_per_s',
    value: PGLEDGER.transfersPerSecond,
    unit: 'transfers/s',
    n: 319_105,
  });
  report({
    bench: BENCH,
    figure: 'peer.pgledger.transfers_per_s_hot',
    value: PGLEDGER.hotTransfersPerSecond,
    unit: 'transfers/s',
    n: 226_767,
  });
  report({
    bench: BENCH,
    figure: 'peer.pgledger.bytes_per_transfer',
    value: PGLEDGER.bytesPerTransfer,
    unit: 'bytes',
    n: 319_105,
  });
  await benchDatabase('sqlite', sizes);
  if (await postgresReachable()) await benchDatabase('postgresql', sizes);
  else
    process.stderr.write(
      `settlement bench: no PostgreSQL server reachable at ${postgresServer()}; PostgreSQL figures skipped\n`,
    );
}

await main();
