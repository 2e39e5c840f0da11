import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@app/chain';
import { DIST, ensureBuilt, isBuildFresh } from '../scripts/build.js';
import { runCli } from './support/run-cli.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

describe('the build in dist/', () => {
  it('is fresh, and every import in it resolves without tsconfig paths or a TypeScript loader', () => {
    expect(isBuildFresh()).toBe(true);
    const files = jsFiles(DIST);
    expect(files.map((f) => f.slice(DIST.length + 1))).toEqual(
      expect.arrayContaining(['apps/api/src/main.js', 'apps/cli/src/main.js', 'sandbox/runner-worker.js']),
    );
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        expect(spec).not.toMatch(/^@app\//);
        if (spec.startsWith('.'))
          expect([file, spec, existsSync(resolve(dirname(file), spec))]).toEqual([file, spec, true]);
      }
    }
    expect(existsSync(join(DIST, 'contracts/ProvenanceAnchor.sol'))).toBe(true);
  });

  it('answers exchange --version and --help', async () => {
    const version = await runCli(['--version']);
    expect(version).toMatchObject({
      code: 0,
      stdout: `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`,
    });
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const group of ['admin', 'demo', 'health', 'ledger']) expect(help.stdout).toContain(group);
  });
});

describe('the API started from the build', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("demo seed's hint points at the API the CLI would call, PORT or EXCHANGE_API_URL", async () => {
    const seeded = await runCli(['demo', 'seed'], { ...db.env, PORT: '4321' });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('http://localhost:4321/v1/auth/me');
    const elsewhere = await runCli(['demo', 'seed'], { ...db.env, EXCHANGE_API_URL: 'https://dx.example' });
    expect(elsewhere.stdout).toContain('https://dx.example/v1/auth/me');
  });

  it('writes only JSON lines with level, time and message, requests with their correlation id, no credential', async () => {
    const port = await findFreePort();
    const child = spawn(process.execPath, ['scripts/launch.js', 'apps/api/src/main'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...db.env,
        NODE_ENV: 'production',
        CHAIN_RPC_URL: 'off',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const base = `http://127.0.0.1:${port}`;
    const token = 'dxt_ZmFrZS10b2tlbi1mb3ItdGhlLWxvZy10ZXN0LTAwMDAwMDA';
    const password = 'correct horse battery staple';
    try {
      for (let ready = false; !ready;) {
        if (child.exitCode !== null) throw new Error(`API exited: ${output}`);
        ready = await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      const me = await fetch(`${base}/v1/auth/me?token=${token}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(401);
      const login = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody-here', password, totp: '123456' }),
      });
      expect(login.status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      const lines = output.split('\n').filter((l) => l !== '');
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const line of parsed) {
        expect(line).toEqual(
          expect.objectContaining({
            level: expect.any(String),
            time: expect.any(String),
            message: expect.any(String),
          }),
        );
        expect(['error', 'warn', 'info', 'debug']).toContain(line.level);
      }
      const ofMe = parsed.filter((l) => l.correlationId === me.headers.get('x-correlation-id'));
      expect(ofMe.map((l) => l.message)).toEqual(
        expect.arrayContaining(['incoming request', 'request completed']),
      );
      expect(output).not.toContain(token.slice(4));
      expect(output).not.toContain(password);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
