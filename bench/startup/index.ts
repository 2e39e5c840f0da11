/**
 * Start-up times, from the TypeScript sources through @swc-node/register (how every process started before the
 * build) and from the build in dist/ (how they start now). Medians of 5 (1 with --quick), in ms, each a fresh process.
 * Source and build runs alternate. Figures:
 * - cli_help_{source,build}_ms: `exchange --help` until the process exits.
 * - api_health_{source,build}_ms: the API process (no chain) until GET /health answers 200.
 * - start_health_{source,build}_ms: `npm start` (the local anvil chain, then the API) until GET /health answers 200.
 * - *_cpu_ms beside the two API figures: the CPU time the Node process used until then (Linux), which the load of
 *   other processes on the machine inflates far less than the wall clock.
 * Every API start reuses one data directory that an untimed first start has migrated and given its keys, as a restart
 * does. The build is brought up to date (untimed) before the build figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@app/chain';
import { isQuick, median, report } from '../report.js';

const BENCH = 'startup';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = isQuick() ? 1 : 5;
const FROM_SOURCE = ['--import', '@swc-node/register/esm-register'];

const commands = {
  cli: { source: [...FROM_SOURCE, 'apps/cli/src/main.ts'], build: ['bin/exchange.js'] },
  api: {
    source: [...FROM_SOURCE, 'apps/api/src/main.ts'],
    build: ['scripts/launch.js', 'apps/api/src/main'],
  },
  start: { source: [...FROM_SOURCE, 'scripts/start.ts'], build: ['scripts/start.js'] },
};

function timeCli(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...args, '--help'], { cwd: ROOT, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`exchange --help exited with ${result.status}`);
  return performance.now() - started;
}

/**
 * CPU time (user + system, ms) the process has used so far, from /proc (Linux); null elsewhere. On a machine shared
 * with other work it says what the start costs, where wall-clock time says mostly how busy the machine was.
 */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * Starts one API process (own process group, so anvil goes with it) and times it until /health answers 200: wall
 * clock, and the CPU time of the Node process (anvil's not counted).
 */
async function timeApi(
  args: string[],
  env: Record<string, string>,
): Promise<{ wall: number; cpu: number | null }> {
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok)
          return { wall: performance.now() - started, cpu: cpuMs(child.pid!) };
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error(`API did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dx-startup-'));
  const env = { DATA_DIR: dataDir, CHAIN_RPC_URL: 'off' };
  const startEnv = { DATA_DIR: dataDir, CHAIN_RPC_URL: 'local', ANVIL_PORT: '0' };
  try {
    const build = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('npm run build failed');
    // A first start migrates, creates the keys and deploys the anchor contract; the timed ones are restarts.
    await timeApi(commands.start.build, startEnv);
    const times = new Map<string, number[]>();
    const record = (figure: string, ms: number) => times.set(figure, [...(times.get(figure) ?? []), ms]);
    // Source and build alternate, so a change in the machine's load touches both alike.
    for (let i = 0; i < RUNS; i++) {
      for (const from of ['source', 'build'] as const) {
        record(`cli_help_${from}_ms`, timeCli(commands.cli[from]));
        for (const [name, args, environment] of [
          ['api_health', commands.api[from], env],
          ['start_health', commands.start[from], startEnv],
        ] as const) {
          const { wall, cpu } = await timeApi(args, environment);
          record(`${name}_${from}_ms`, wall);
          if (cpu !== null) record(`${name}_${from}_cpu_ms`, cpu);
        }
      }
    }
    for (const [figure, values] of [...times].sort(([a], [b]) => a.localeCompare(b)))
      report({ bench: BENCH, figure, value: Math.round(median(values)), unit: 'ms', n: RUNS });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
