import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM } from '@mikro-orm/core';
import { createApp } from '../apps/api/src/create-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HttpClient } from './support/http-client.js';
import { PASSWORD, World, newCreditCode, uniqueName } from './support/world.js';

let t: TestApp;
let world: World;
/** A second API node over the same database (and Redis, when REDIS_URL is set): what a deployment runs. */
let second: NestFastifyApplication;
let secondNode: HttpClient;

beforeAll(async () => {
  t = await startTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '5', SIGNUP_ATTEMPTS_PER_HOUR: '3' });
  world = new World(t);
  second = await createApp(t.config, t.clock);
  await second.listen({ port: 0, host: '127.0.0.1' });
  const address = second.getHttpServer().address();
  secondNode = new HttpClient(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
});
afterAll(async () => {
  await second.close();
  await t.close();
});

const signUp = (client: HttpClient) =>
  client.post('/v1/organisations', {
    kind: 'organisation',
    name: 'Throttled Co.',
    creditCode: newCreditCode(),
    roles: ['buyer'],
    admin: { username: uniqueName('s'), password: PASSWORD, displayName: 'S' },
  });

it('throttles logins per client and username with 429 and Retry-After, and lets them through a minute later', async () => {
  t.clock.advance(60_000 - (t.clock.now().getTime() % 60_000) + 1000); // start of a fresh one-minute window
  const party = await world.party(['buyer']);
  const nodes = [world.anonymous, secondNode];
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof world.anonymous.post>> | undefined;
  for (let i = 0; i < 6; i++) {
    // Alternating between the two API nodes: the count is shared, not per process.
    last = await nodes[i % 2].post('/v1/auth/login', { username: party.username, password: PASSWORD });
    statuses.push(last.status);
  }
  // The sign-up helper already logged in once: four more pass, then the limit of five a minute holds.
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  expect(last!.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  const otherUser = await secondNode.post('/v1/auth/login', { username: 'someone-else', password: PASSWORD });
  expect(otherUser.status).toBe(429); // the same client address is over its limit too
  t.clock.advance(61_000);
  expect(
    (await secondNode.post('/v1/auth/login', { username: party.username, password: PASSWORD })).status,
  ).toBe(200);
});

it('throttles anonymous sign-ups per client address across nodes, and creates nothing when refusing', async () => {
  t.clock.advance(3_600_000 - (t.clock.now().getTime() % 3_600_000) + 1000); // a fresh one-hour window
  const organisations = async () =>
    Number(
      (
        await t.app
          .get(MikroORM)
          .em.getConnection()
          .execute<{ n: number | string }[]>('select count(*) as "n" from "organisations"', [])
      )[0].n,
    );
  const before = await organisations();
  const replies = [];
  for (const client of [world.anonymous, secondNode, world.anonymous, secondNode])
    replies.push(await signUp(client));
  expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 429]);
  expect(replies[3].body).toMatchObject({ code: 'rate_limited' });
  expect(Number(replies[3].headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await organisations()).toBe(before + 3);
  t.clock.advance(3_600_000);
  expect((await signUp(secondNode)).status).toBe(201);
});
