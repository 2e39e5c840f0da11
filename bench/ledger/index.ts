// Ledger benchmarks. `npm run bench -- ledger [--quick]`.
// In-memory append and proofs, offline export verification, and database appends through the real
// LedgerRecorder on SQLite and PostgreSQL (see db-append.ts). Each section is an exported function.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import {
  appendLeaves,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  MemoryNodeStore,
  type HashAlgorithm,
} from '@app/ledger/core';
import { isQuick, median, report } from '../report.js';
import { benchDbAppend, benchSqlProofs, postgresReachable, postgresServer } from './db-append.js';
import { verifyExportFile, writeSyntheticExport } from './export-file.js';

const BENCH = 'ledger';

/** Deterministic pseudo-random integers in [0, bound), so runs are comparable. */
function randomInts(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  };
}

function syntheticLeafHashes(algorithm: HashAlgorithm, n: number): Uint8Array[] {
  const input = new Uint8Array(8);
  const view = new DataView(input.buffer);
  return Array.from({ length: n }, (_, i) => {
    view.setFloat64(0, i);
    return hashLeaf(algorithm, input);
  });
}

/** In-memory batched append throughput; returns the filled store for the proof figures. */
export async function benchAppend(n: number, batch = 10_000): Promise<MemoryNodeStore> {
  const hashes = syntheticLeafHashes('sha256', n);
  const store = new MemoryNodeStore('sha256');
  const started = performance.now();
  for (let at = 0; at < n; at += batch) await appendLeaves(store, at, hashes.slice(at, at + batch));
  const seconds = (performance.now() - started) / 1000;
  report({
    bench: BENCH,
    figure: 'append_memory_leaves_per_s',
    value: Math.round(n / seconds),
    unit: 'leaves/s',
    n,
  });
  return store;
}

/** Median time per proof over `samples` random proofs against a tree of `treeSize` leaves. */
export async function benchProofs(store: MemoryNodeStore, treeSize: number, samples = 2_000): Promise<void> {
  const next = randomInts(treeSize);
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
  report({
    bench: BENCH,
    figure: 'inclusion_proof_ms',
    value: round(median(inclusion)),
    unit: 'ms',
    n: treeSize,
  });
  report({
    bench: BENCH,
    figure: 'consistency_proof_ms',
    value: round(median(consistency)),
    unit: 'ms',
    n: treeSize,
  });
}

/** Writes an export of `n` entries to a temp dir, then times the offline verifier over it. */
export async function benchExportVerification(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  try {
    const wallet = Wallet.createRandom();
    const file = join(dir, 'export.ndjson');
    await writeSyntheticExport(file, n, wallet, 'sha256');
    const started = performance.now();
    const cpu = process.cpuUsage();
    const verdict = await verifyExportFile(file, wallet.address);
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    if (!verdict.ok) throw new Error(`benchmark export did not verify: ${JSON.stringify(verdict)}`);
    report({ bench: BENCH, figure: 'export_verify_s', value: round(seconds), unit: 's', n });
    // CPU time of all threads (the pool's too): what the verification costs whatever else runs on the host.
    report({
      bench: BENCH,
      figure: 'export_verify_cpu_s',
      value: round((cpuUsed.user + cpuUsed.system) / 1e6),
      unit: 's',
      n,
    });
    report({
      bench: BENCH,
      figure: 'export_verify_entries_per_s',
      value: Math.round(n / seconds),
      unit: 'entries/s',
      n,
    });
    report({
      bench: BENCH,
      figure: 'export_file_mb',
      value: round(statSync(file).size / 2 ** 20),
      unit: 'MiB',
      n,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const quick = isQuick();
  const sizes = quick ? [10_000] : [10_000, 100_000, 1_000_000];
  const store = await benchAppend(sizes[sizes.length - 1]);
  for (const size of sizes) await benchProofs(store, size);
  await benchExportVerification(sizes[sizes.length - 1]);

  const dbSizes = quick
    ? { single: 200, batched: 10_000, batch: 1000, runs: 1 }
    : { single: 1_000, batched: 50_000, batch: 1000, runs: 3 };
  await benchDbAppend('sqlite', dbSizes);
  // Without a PostgreSQL server the PostgreSQL figures are skipped, not the run: the figures after them still come.
  if (await postgresReachable()) await benchDbAppend('postgresql', dbSizes);
  else
    process.stderr.write(
      `ledger bench: no PostgreSQL server reachable at ${postgresServer()}; PostgreSQL append figures skipped\n`,
    );
  if (!quick) await benchSqlProofs(1_000_000);
}

await main();
