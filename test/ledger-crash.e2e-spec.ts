import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { HttpClient } from './support/http-client.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const BIN = fileURLToPath(new URL('../bin/exchange.js', import.meta.url));

let database: TestDatabase;
let api: ApiProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await api?.kill('SIGKILL');
  await database.drop();
});

it('keeps every acknowledged entry and a valid tree when the API is killed in the middle of appends', async () => {
  const env = { ...database.env, NODE_ENV: 'test', CHAIN_RPC_URL: 'off', LOGIN_ATTEMPTS_PER_MINUTE: '10000' };
  const seed = spawnSync(process.execPath, [BIN, 'demo', 'seed', '--json'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(seed.status).toBe(0);
  const regulatorToken = (JSON.parse(seed.stdout).parties as { role: string; token: string }[]).find(
    (p) => p.role === 'regulator',
  )!.token;

  api = await startApiProcess(env);
  const regulator = new HttpClient(api.baseUrl, regulatorToken);
  const me = await regulator.get('/v1/auth/me');
  const accountId = me.body.accountId as string;

  // Every answered read is an acknowledged append (DS 16 records each regulator read in the ledger).
  let acknowledged = 0;
  let stop = false;
  const readers = Array.from({ length: 6 }, async () => {
    while (!stop) {
      try {
        const reply = await regulator.get('/v1/ledger/search?action=organisation.admitted&limit=1');
        if (reply.status === 200) acknowledged += 1;
      } catch {
        return; // the server is gone
      }
    }
  });
  while (acknowledged < 60) await new Promise((r) => setTimeout(r, 20));
  await api.kill('SIGKILL');
  stop = true;
  await Promise.all(readers);

  api = await startApiProcess(env);
  const after = new HttpClient(api.baseUrl, regulatorToken);
  // Reads are recorded too, so read a fixed range: the tree as it was at restart.
  const size = (await after.get('/v1/ledger/sth')).body.treeSize as number;
  let recorded = 0;
  for (let start = 0; start < size; start += 1000) {
    const page = await after.get(`/v1/ledger/entries?start=${start}&end=${Math.min(start + 999, size - 1)}`);
    recorded += page.body.entries.filter(
      (e: { action: string; actor: { accountId: string }; payload: { action?: string } }) =>
        e.action === 'ledger.read' &&
        e.actor.accountId === accountId &&
        e.payload.action === 'organisation.admitted',
    ).length;
  }
  expect(recorded).toBeGreaterThanOrEqual(acknowledged);
  const verification = await after.get('/v1/ledger/verify');
  expect(verification.body).toMatchObject({ ok: true });
  expect(verification.body.entries).toBeGreaterThan(size);
});
