import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A sandbox worker process (`apps/sandbox-worker`, as `npm run start:worker` runs it) and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Its JSON log lines in order (a line that is not JSON becomes `{ message }`), stdout and stderr together. */
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts a worker from source with `env` over this process's environment (NODE_ENV test, LOG_LEVEL info). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'apps/sandbox-worker/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  const take = (d: Buffer) => {
    buffered += String(d);
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ message: part });
      }
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

/**
 * Polls `condition` every `pollMs` until it holds; throws after `ms`, or at once when one of `watch` has exited
 * (with its last lines, which say why).
 */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { watch?: WorkerProcess[]; ms?: number; pollMs?: number } = {},
): Promise<void> {
  const { watch = [], ms = 90_000, pollMs = 25 } = options;
  const end = Date.now() + ms;
  while (!(await condition())) {
    const dead = watch.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`${what}: a worker exited: ${JSON.stringify(dead.lines.slice(-5))}`);
    if (Date.now() > end) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Stops the workers still running (SIGTERM) and waits for every one to exit. */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}
