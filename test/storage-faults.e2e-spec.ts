import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/core';
import { UnitOfWork, isDatabaseUnavailable, openDatabase } from '@app/database';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { PASSWORD, newCreditCode, uniqueName } from './support/world.js';

/**
 * Storage that fails under the API: a data directory on a full disk (a small tmpfs this test mounts; it runs as
 * root) and, on PostgreSQL runs, a server that stops answering. The API answers 5xx (503) meanwhile, never hangs,
 * and serves again once the storage is back, without a restart; no key file is ever left empty.
 */

// A hang is what this file looks for: every request gets an answer within this bound or the test fails.
const ANSWER_WITHIN_MS = 20_000;

async function call(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<number> {
  const reply = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  await reply.arrayBuffer();
  return reply.status;
}

const signUp = (baseUrl: string): Promise<number> =>
  call(baseUrl, 'POST', '/v1/organisations', {
    kind: 'organisation',
    name: 'Full Disk Data Co.',
    creditCode: newCreditCode(),
    roles: ['merchant'],
    admin: { username: uniqueName('fd'), password: PASSWORD, displayName: 'F' },
  });

/** Fills the file system under `dir` up to the last byte; returns the filler's path, which frees it again. */
function fill(dir: string): string {
  const path = join(dir, `filler-${Date.now()}`);
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // Whatever fits below one chunk too.
  try {
    for (;;) writeSync(fd, chunk, 0, 512);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

function keyFiles(dir: string): { name: string; size: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.key') || name.includes('keystore'))
    .map((name) => ({ name, size: statSync(join(dir, name)).size }));
}

describe('a data directory on a full disk (SQLite)', () => {
  let mountPoint: string;

  beforeAll(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'dx-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint]);
  });

  afterAll(() => {
    execFileSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const sqliteIn = (dataDir: string) => ({
    // Many sign-ups from one address on purpose: the sign-up throttle is not what this test is about.
    SIGNUP_ATTEMPTS_PER_HOUR: '100000',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'exchange.sqlite')}`,
  });

  it('fails a first start on a full disk without leaving an empty key file, and starts once space is freed', async () => {
    const dataDir = join(mountPoint, 'first-start');
    mkdirSync(dataDir);
    const filler = fill(mountPoint);
    await expect(startApiProcess(sqliteIn(dataDir))).rejects.toThrow(/exited/);
    for (const file of keyFiles(dataDir)) expect(file.size).toBeGreaterThan(0);

    rmSync(filler);
    const api = await startApiProcess(sqliteIn(dataDir));
    try {
      const files = keyFiles(dataDir);
      expect(files.map((file) => file.name).sort()).toEqual(['app-secret.key', 'ledger-keystore.json']);
      for (const file of files) expect(file.size).toBeGreaterThan(0);
    } finally {
      await stop(api);
    }
  });

  it('answers 503 while the disk is full, keeps answering, serves again once space is freed, and stops on SIGTERM', async () => {
    const dataDir = join(mountPoint, 'running');
    mkdirSync(dataDir);
    const api = await startApiProcess(sqliteIn(dataDir));
    let filler: string | undefined;
    try {
      expect(await signUp(api.baseUrl)).toBe(201);
      filler = fill(mountPoint);

      // Writes until the disk refuses one: SQLite may still have room in pages it holds.
      const statuses: number[] = [];
      while (statuses.length < 200 && !statuses.some((status) => status >= 500)) {
        statuses.push(await signUp(api.baseUrl));
      }
      expect(statuses.filter((status) => status >= 500)).toEqual([503]);
      expect(statuses.filter((status) => status < 500).every((status) => status === 201)).toBe(true);

      // The failed commit must not have taken the connection with it: every later call still gets an answer.
      expect(await signUp(api.baseUrl)).toBe(503);
      expect([200, 503]).toContain(await call(api.baseUrl, 'GET', '/health'));

      rmSync(filler);
      filler = undefined;
      expect(await signUp(api.baseUrl)).toBe(201);
      expect(await call(api.baseUrl, 'GET', '/health')).toBe(200);
    } finally {
      if (filler) rmSync(filler, { force: true });
      await stop(api);
    }
  });
});

/** SIGTERM, and the process must be gone within the bound (it once hung on a connection a failed commit kept). */
async function stop(api: ApiProcess): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the API did not stop on SIGTERM')), ANSWER_WITHIN_MS);
  });
  try {
    await Promise.race([api.kill('SIGTERM'), hung]);
  } finally {
    clearTimeout(timer);
    if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
  }
}

const serverUrl = process.env.DATABASE_URL;
if (serverUrl?.startsWith('postgres')) {
  describe('PostgreSQL that stops answering', () => {
    let database: TestDatabase;
    let t: TestApp;
    let proxy: Server;
    let port: number;
    const sockets = new Set<Socket>();
    const upstream = new URL(serverUrl);

    /** A TCP relay to the server that the test can cut, as a server going away would. */
    const openProxy = (listenPort: number): Promise<Server> =>
      new Promise((resolve) => {
        const server = createServer((client) => {
          const server = connect(Number(upstream.port || 5432), upstream.hostname);
          for (const socket of [client, server]) {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => socket.destroy());
          }
          client.pipe(server).pipe(client);
        });
        server.listen(listenPort, '127.0.0.1', () => resolve(server));
      });

    const proxiedUrl = (): string => {
      const url = new URL(database.env.DATABASE_URL);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    };

    const cut = (): Promise<void> =>
      new Promise((resolve) => {
        proxy.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });

    beforeAll(async () => {
      database = await createTestDatabase();
      proxy = await openProxy(0);
      port = (proxy.address() as { port: number }).port;
      t = await startTestApp({
        SIGNUP_ATTEMPTS_PER_HOUR: '100000',
        DATA_DIR: database.dataDir,
        DATABASE_URL: proxiedUrl(),
      });
    });

    afterAll(async () => {
      await t.close();
      proxy.close();
      await database.drop();
    });

    it('lets go of a connection lost mid-transaction, so the pool never runs dry', async () => {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: database.dataDir, DATABASE_URL: proxiedUrl() });
      const orm = await openDatabase(config, []);
      const uow = new UnitOfWork(orm);
      try {
        // More lost transactions than the pool has connections (10): each must hand its connection back.
        for (let i = 0; i < 12; i++) {
          const failure = await uow
            .run(async (em) => {
              await em.execute('select 1');
              await cut();
              await em.execute('select 2');
            })
            .then(
              () => undefined,
              (error: unknown) => error,
            );
          expect(isDatabaseUnavailable(failure)).toBe(true);
          proxy = await openProxy(port);
        }
        expect(await uow.run((em) => em.execute('select 1 as "ok"'))).toEqual([{ ok: 1 }]);
      } finally {
        await orm.close();
      }
    });

    it('answers 503 while the server is unreachable and serves again when it is back', async () => {
      expect(await signUp(t.baseUrl)).toBe(201);
      await cut();
      expect(await signUp(t.baseUrl)).toBe(503);
      expect(await signUp(t.baseUrl)).toBe(503);
      expect(await call(t.baseUrl, 'GET', '/health')).toBe(503);

      proxy = await openProxy(port);
      expect(await signUp(t.baseUrl)).toBe(201);
      expect(await call(t.baseUrl, 'GET', '/health')).toBe(200);
    });
  });
}
