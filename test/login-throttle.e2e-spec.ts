import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, World } from './support/world.js';

let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '5' });
  world = new World(t);
});
afterAll(() => t.close());

it('throttles logins per client and username with 429 and Retry-After, and lets them through a minute later', async () => {
  const party = await world.party(['buyer']);
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof world.anonymous.post>> | undefined;
  for (let i = 0; i < 6; i++) {
    last = await world.anonymous.post('/v1/auth/login', { username: party.username, password: PASSWORD });
    statuses.push(last.status);
  }
  // The sign-up helper already logged in once: four more pass, then the limit of five a minute holds.
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  expect(last!.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  const otherUser = await world.anonymous.post('/v1/auth/login', {
    username: 'someone-else',
    password: PASSWORD,
  });
  expect(otherUser.status).toBe(429); // the same client address is over its limit too
  t.clock.advance(61_000);
  expect(
    (await world.anonymous.post('/v1/auth/login', { username: party.username, password: PASSWORD })).status,
  ).toBe(200);
});
