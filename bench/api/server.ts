// A seeded API for the bench: a scratch database, the demo world made by the CLI (`exchange demo seed --json`,
// as a user would), and the API as its own process so autocannon gets a core of its own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiProcess, type ApiProcess } from '../../test/support/api-process.js';
import { createScratchDatabase } from '../postgres-server.js';
export { postgresReachable } from '../postgres-server.js';

export type BenchDb = 'sqlite' | 'postgresql';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export interface DemoParty {
  role: 'operator' | 'regulator' | 'merchant' | 'buyer';
  organisationId: string;
  token: string;
}

export interface BenchServer {
  db: BenchDb;
  baseUrl: string;
  parties: DemoParty[];
  stop(): Promise<void>;
}

function runCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/exchange.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`exchange ${args.join(' ')}: ${code} ${stderr}`)),
    );
  });
}

/**
 * Starts the API over a fresh database of the given kind. `extraEnv` reaches the API process only (e.g. REDIS_URL).
 * The API runs as in production (request logging off at LOG_LEVEL=warn), with the chain off.
 */
export async function startBenchServer(
  db: BenchDb,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-bench-'));
  const scratch = db === 'postgresql' ? await createScratchDatabase() : undefined;
  const databaseUrl = scratch?.url ?? `sqlite:${join(dataDir, 'exchange.sqlite')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    CHAIN_RPC_URL: 'off',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    APP_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: '',
  };
  let api: ApiProcess | undefined;
  const stop = async (): Promise<void> => {
    await api?.kill('SIGTERM');
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The demo seed refuses NODE_ENV=production (it sets printed passwords); only the API runs as in production.
    const seeded = JSON.parse(
      await runCli(['demo', 'seed', '--json'], { ...env, NODE_ENV: 'development' }),
    ) as {
      parties: DemoParty[];
    };
    api = await startApiProcess({ ...env, ...extraEnv });
    return { db, baseUrl: api.baseUrl, parties: seeded.parties, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
