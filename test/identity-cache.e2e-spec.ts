// The credential cache's promise: a revoked token, an ended session, a suspended party, a removed role or a
// disabled account stops working at once on the node that made the change, and on every other node within
// PRINCIPAL_CACHE_TTL_MS (at once through Redis when REDIS_URL is set). Two API nodes share one database and a
// clock the test moves; the bound is proved by moving the clock by exactly the cache's lifetime.
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { ManualClock, loadConfig } from '@app/core';
import { Account, CredentialResolver, Organisation, PRINCIPAL_CACHE_TTL_MS } from '@app/identity';
import { createApp } from '../apps/api/src/create-app.js';
import { HttpClient } from './support/http-client.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { runCli } from './support/run-cli.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import type { TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';

interface Nodes {
  a: TestApp;
  b: TestApp;
  clock: ManualClock;
  close(): Promise<void>;
}

async function startNodes(withRedis: boolean): Promise<Nodes> {
  const database = await createTestDatabase();
  const clock = new ManualClock(new Date());
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'test',
    CHAIN_RPC_URL: 'off',
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    REDIS_PREFIX: `dx-test-${randomBytes(4).toString('hex')}`,
    ...database.env,
  };
  if (!withRedis) delete env.REDIS_URL;
  const config = loadConfig(env);
  const node = async (): Promise<TestApp> => {
    const app = await createApp(config, clock);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { app, config, clock, database, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
  };
  const a = await node();
  const b = await node();
  return {
    a,
    b,
    clock,
    close: async () => {
      await a.close();
      await b.close();
      await database.drop();
    },
  };
}

const modes: { name: string; redis: boolean }[] = [{ name: 'without Redis', redis: false }];
// The second CI run has Redis: then the other node must forget at once, without the clock moving.
if (process.env.REDIS_URL) modes.push({ name: 'with Redis', redis: true });

describe.each(modes)('two API nodes sharing a database, $name', ({ redis }) => {
  let nodes: Nodes;
  let world: World;
  let operator: HttpClient;

  beforeAll(async () => {
    nodes = await startNodes(redis);
    world = new World(nodes.a);
    operator = await world.operatorProgramme();
  });
  afterAll(() => nodes.close());

  const onB = (client: HttpClient): HttpClient => new HttpClient(nodes.b.baseUrl, client.token);

  /**
   * The node that made the change refuses at once; the other node refuses within the bound: at once through
   * Redis (waiting only for the message, the clock standing still), else once the cache's lifetime has passed.
   */
  async function refusedWithinBound(
    onNodeA: () => Promise<number>,
    onNodeB: () => Promise<number>,
    refused: number,
  ): Promise<void> {
    expect(await onNodeA()).toBe(refused);
    if (redis) {
      let status = await onNodeB();
      for (let i = 0; i < 100 && status !== refused; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await onNodeB();
      }
      expect(status).toBe(refused);
    } else {
      nodes.clock.advance(PRINCIPAL_CACHE_TTL_MS);
      expect(await onNodeB()).toBe(refused);
    }
  }

  /** Both nodes have resolved (and so cached) the credential before the change. */
  async function usedOnBoth(client: HttpClient, path: string): Promise<void> {
    expect((await client.get(path)).status).toBe(200);
    expect((await onB(client).get(path)).status).toBe(200);
  }

  const status = (client: HttpClient, path: string) => async () => (await client.get(path)).status;

  it('stops a revoked API token', async () => {
    const party = await world.party(['buyer'], operator);
    const created = await party.client.post('/v1/tokens', { name: 'bot', scopes: ['buyer:read'] });
    expect(created.status).toBe(201);
    const programme = world.anonymous.as(created.body.token);
    await usedOnBoth(programme, '/v1/auth/me');
    expect((await party.client.delete(`/v1/tokens/${created.body.id}`)).status).toBe(200);
    await refusedWithinBound(status(programme, '/v1/auth/me'), status(onB(programme), '/v1/auth/me'), 401);
  });

  it('stops a logged-out session', async () => {
    const party = await world.party(['buyer'], operator);
    await usedOnBoth(party.client, '/v1/auth/me');
    expect((await party.client.post('/v1/auth/logout')).status).toBe(204);
    await refusedWithinBound(
      status(party.client, '/v1/auth/me'),
      status(onB(party.client), '/v1/auth/me'),
      401,
    );
  });

  it("withdraws a suspended organisation's roles", async () => {
    const party = await world.party(['buyer'], operator);
    await usedOnBoth(party.client, '/v1/ledger/sth');
    const suspended = await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'suspend',
      reason: 'audit finding',
    });
    expect(suspended.status).toBe(200);
    await refusedWithinBound(
      status(party.client, '/v1/ledger/sth'),
      status(onB(party.client), '/v1/ledger/sth'),
      403,
    );
  });

  it('reads an organisation by plain SQL exactly as the ORM lists it', async () => {
    const party = await world.party(['merchant', 'buyer'], operator);
    await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'suspend',
      reason: '审计发现',
    });
    const one = await operator.get(`/v1/organisations/${party.organisationId}`);
    const listed = await operator.get('/v1/organisations?status=suspended');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      roles: ['merchant', 'buyer'],
      status: 'suspended',
      statusReason: '审计发现',
    });
    expect(listed.body.organisations).toContainEqual(one.body);
    expect((await operator.get(`/v1/organisations/${crypto.randomUUID()}`)).status).toBe(404);
  });

  // No route changes a party's roles or disables an account yet: these stand for the use cases that will, which
  // make their change and then call `invalidate` after the commit, as the ones above do.
  const changeThenInvalidate = async (
    party: Party,
    change: (orm: MikroORM) => Promise<unknown>,
    kind: 'organisation' | 'account',
  ) => {
    await change(nodes.a.app.get(MikroORM));
    await nodes.a.app
      .get(CredentialResolver)
      .invalidate({ kind, id: kind === 'account' ? party.accountId : party.organisationId });
  };

  it('withdraws a removed role', async () => {
    const party = await world.party(['merchant', 'buyer'], operator);
    // No route is open to buyers alone yet: the principal's roles, as /v1/auth/me shows them, are the test.
    const buyerRole = (client: HttpClient) => async () =>
      ((await client.get('/v1/auth/me')).body.roles as string[]).includes('buyer') ? 200 : 403;
    expect(await buyerRole(party.client)()).toBe(200);
    expect(await buyerRole(onB(party.client))()).toBe(200);
    await changeThenInvalidate(
      party,
      (orm) =>
        orm.em.fork().nativeUpdate(Organisation, { id: party.organisationId }, { roles: ['merchant'] }),
      'organisation',
    );
    await refusedWithinBound(buyerRole(party.client), buyerRole(onB(party.client)), 403);
  });

  it('stops a disabled account', async () => {
    const party = await world.party(['buyer'], operator);
    await usedOnBoth(party.client, '/v1/auth/me');
    await changeThenInvalidate(
      party,
      (orm) => orm.em.fork().nativeUpdate(Account, { id: party.accountId }, { disabled: true }),
      'account',
    );
    await refusedWithinBound(
      status(party.client, '/v1/auth/me'),
      status(onB(party.client), '/v1/auth/me'),
      401,
    );
  });

  it('bounds even a change nobody announced: every node re-reads within the cache lifetime', async () => {
    const party = await world.party(['buyer'], operator);
    await usedOnBoth(party.client, '/v1/auth/me');
    await nodes.a.app
      .get(MikroORM)
      .em.fork()
      .nativeUpdate(Account, { id: party.accountId }, { disabled: true });
    nodes.clock.advance(PRINCIPAL_CACHE_TTL_MS);
    expect((await party.client.get('/v1/auth/me')).status).toBe(401);
    expect((await onB(party.client).get('/v1/auth/me')).status).toBe(401);
  });
});

// The same promise between two real API processes, as deployed behind a load balancer: an operator suspends a
// party through one process; the other stops honouring the party's roles when Redis delivers the invalidation.
if (process.env.REDIS_URL) {
  describe('two API processes sharing a database and Redis', () => {
    let database: TestDatabase;
    let processes: ApiProcess[] = [];
    let parties: { role: string; organisationId: string; token: string }[];

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = { ...database.env, REDIS_PREFIX: `dx-test-${randomBytes(4).toString('hex')}` };
      const seeded = await runCli(['demo', 'seed', '--json'], env);
      expect(seeded.code).toBe(0);
      parties = (JSON.parse(seeded.stdout) as { parties: typeof parties }).parties;
      processes = [await startApiProcess(env), await startApiProcess(env)];
    });
    afterAll(async () => {
      for (const api of processes) await api.kill('SIGTERM');
      await database.drop();
    });

    it('withdraws a suspended party on the other process without waiting for the cache lifetime', async () => {
      const tokenOf = (role: string) => parties.find((p) => p.role === role)!;
      const buyer = tokenOf('buyer');
      const [a, b] = processes.map((api) => new HttpClient(api.baseUrl, buyer.token));
      expect((await a.get('/v1/ledger/sth')).status).toBe(200);
      // B's answer is cached from about now, so it would lapse by itself only after this plus the lifetime.
      const cachedFrom = Date.now();
      expect((await b.get('/v1/ledger/sth')).status).toBe(200);
      const operator = new HttpClient(processes[0].baseUrl, tokenOf('operator').token);
      const suspended = await operator.post(`/v1/organisations/${buyer.organisationId}/admission`, {
        decision: 'suspend',
        reason: 'audit finding',
      });
      expect(suspended.status).toBe(200);
      expect((await a.get('/v1/ledger/sth')).status).toBe(403);
      // Before B's entry could lapse by itself: only the Redis message can have made process B forget.
      const deadline = cachedFrom + PRINCIPAL_CACHE_TTL_MS - 1_000;
      let status = (await b.get('/v1/ledger/sth')).status;
      while (status !== 403 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await b.get('/v1/ledger/sth')).status;
      }
      expect(status).toBe(403);
    });
  });
}
