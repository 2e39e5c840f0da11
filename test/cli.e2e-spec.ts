import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HttpClient } from './support/http-client.js';
import { newCreditCode } from './support/world.js';

let t: TestApp;
/** The CLI on the test's database, pointing at the test's API. */
const cli = (args: string[], stdin = '') =>
  runCli(args, { ...t.database.env, EXCHANGE_API_URL: t.baseUrl }, stdin);
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('exchange CLI', () => {
  it('explains itself with --help, for each command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['admin', 'demo', 'health']) expect(top.stdout).toContain(command);
    const create = await cli(['admin', 'create-operator', '--help']);
    expect(create.stdout).toMatch(/--username/);
    expect(create.stdout).not.toMatch(/--password/);
  });

  it('creates the first operator with the password from stdin, and that operator can sign in', async () => {
    const password = 'a long operator passphrase';
    const result = await cli(
      ['admin', 'create-operator', '--username', 'first-operator', '--credit-code', newCreditCode()],
      `${password}\n`,
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout + result.stderr).not.toContain(password);
    const login = await new HttpClient(t.baseUrl).post('/v1/auth/login', {
      username: 'first-operator',
      password,
    });
    expect(login).toMatchObject({ status: 200, body: { secondFactorDone: false } });
  });

  it('refuses a short password and a wrong credit code, creating nothing', async () => {
    const short = await cli(
      ['admin', 'create-operator', '--username', 'op-short', '--credit-code', newCreditCode()],
      'short\n',
    );
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const code = newCreditCode();
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const bad = await cli(
      ['admin', 'create-operator', '--username', 'op-bad', '--credit-code', wrong],
      'a long operator passphrase\n',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/creditCode check character/);
    for (const username of ['op-short', 'op-bad']) {
      const login = await new HttpClient(t.baseUrl).post('/v1/auth/login', {
        username,
        password: 'a long operator passphrase',
      });
      expect(login.status).toBe(401);
    }
  });

  it('seeds a demo world whose tokens work against the API, and seeds again without duplicating it', async () => {
    const first = await cli(['demo', 'seed', '--json']);
    expect(first.code).toBe(0);
    const parties = JSON.parse(first.stdout).parties as {
      role: string;
      organisationId: string;
      token: string;
    }[];
    expect(parties.map((p) => p.role)).toEqual([
      'operator',
      'regulator',
      'merchant',
      'merchant',
      'merchant',
      'buyer',
    ]);
    for (const party of parties) {
      const me = await new HttpClient(t.baseUrl, party.token).get('/v1/auth/me');
      expect(me).toMatchObject({
        status: 200,
        body: { organisationId: party.organisationId, roles: [party.role] },
      });
    }
    const second = JSON.parse((await cli(['demo', 'seed', '--json'])).stdout).parties as typeof parties;
    expect(second.map((p) => p.organisationId)).toEqual(parties.map((p) => p.organisationId));
    expect(second.map((p) => p.token)).not.toEqual(parties.map((p) => p.token));
  });

  it('asks the API for its health over HTTP', async () => {
    const result = await cli(['health']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ok', database: { ok: true } });
  });
});
