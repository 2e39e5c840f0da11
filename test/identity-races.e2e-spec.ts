import { MikroORM } from '@mikro-orm/core';
import { totpAt } from '@app/identity';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, World } from './support/world.js';
import type { HttpClient, Reply } from './support/http-client.js';

/**
 * Parallel requests against state that depends on current state: the lock-out counter, a TOTP code's single use,
 * an organisation's status. Run on SQLite and, with DATABASE_URL, on PostgreSQL, where requests really overlap.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
});
afterAll(() => t.close());

const query = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
  t.app.get(MikroORM).em.getConnection().execute(sql, params);

const ledgerCount = async (subjectId: string, action: string): Promise<number> => {
  const [row] = await query<{ n: number | string }>(
    `select count(*) as "n" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
     where s."subject_id" = ? and e."action" = ?`,
    [subjectId, action],
  );
  return Number(row.n);
};

const statuses = (replies: Reply[]): Record<number, number> =>
  replies.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

const inParallel = <T>(n: number, request: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, request));

describe('the lock-out under parallel guesses', () => {
  it('counts every one of 19 parallel wrong passwords: the account locks at the threshold, once', async () => {
    const party = await world.party(['buyer'], operator);
    const max = t.config.login.maxFailures;
    const replies = await inParallel(19, () =>
      world.anonymous.post('/v1/auth/login', { username: party.username, password: 'a wrong password' }),
    );
    expect(statuses(replies)).toEqual({ 401: max - 1, 423: 19 - (max - 1) });
    expect(await ledgerCount(party.accountId, 'account.locked')).toBe(1);
    const right = await world.anonymous.post('/v1/auth/login', {
      username: party.username,
      password: PASSWORD,
    });
    expect(right).toMatchObject({ status: 423, body: { code: 'account_locked' } });
  });

  it('counts every one of 19 parallel wrong TOTP codes given with the right password', async () => {
    const overseer = await world.overseer('operator');
    t.clock.advance(30_000);
    const current = totpAt(overseer.totpSecret, t.clock.now());
    const wrong = current === '000000' ? '111111' : '000000';
    const max = t.config.login.maxFailures;
    const replies = await inParallel(19, () =>
      world.anonymous.post('/v1/auth/login', {
        username: overseer.username,
        password: PASSWORD,
        totp: wrong,
      }),
    );
    expect(statuses(replies)).toEqual({ 401: max - 1, 423: 19 - (max - 1) });
    expect(await ledgerCount(overseer.accountId, 'account.locked')).toBe(1);
    const right = await world.anonymous.post('/v1/auth/login', {
      username: overseer.username,
      password: PASSWORD,
      totp: current,
    });
    expect(right.status).toBe(423);
  });
});

describe('a TOTP code under parallel use', () => {
  it('lets 10 parallel logins with one code open exactly one session', async () => {
    const overseer = await world.overseer('regulator');
    t.clock.advance(30_000);
    const code = totpAt(overseer.totpSecret, t.clock.now());
    const sessions = async (): Promise<number> =>
      Number(
        (
          await query<{ n: number | string }>(
            'select count(*) as "n" from "sessions" where "account_id" = ? and "second_factor_done" = ?',
            [overseer.accountId, true],
          )
        )[0].n,
      );
    const before = await sessions();
    const replies = await inParallel(10, () =>
      world.anonymous.post('/v1/auth/login', { username: overseer.username, password: PASSWORD, totp: code }),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.every((r) => r.status === 200 || r.status === 401 || r.status === 423)).toBe(true);
    expect(await sessions()).toBe(before + 1);
    expect(await ledgerCount(overseer.accountId, 'session.started')).toBe(2);
  });
});

describe('admission decisions in parallel', () => {
  it('applies exactly one of parallel admit and reject decisions on one pending organisation', async () => {
    for (let round = 0; round < 3; round++) {
      const party = await world.party(['merchant']);
      const replies = await Promise.all(
        ['admit', 'reject', 'admit', 'reject', 'admit', 'reject'].map((decision) =>
          operator.post(`/v1/organisations/${party.organisationId}/admission`, { decision }),
        ),
      );
      expect(statuses(replies)).toEqual({ 200: 1, 409: 5 });
      const winner = replies.find((r) => r.status === 200)!;
      expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'invalid_transition')).toBe(
        true,
      );
      const decided = (await operator.get(`/v1/organisations/${party.organisationId}`)).body.status;
      expect(decided).toBe(winner.body.status);
      const entries = await query<{ action: string; leaf_input: string }>(
        `select e."action", e."leaf_input" from "ledger_entries" e
         join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
         where s."subject_id" = ? and e."action" in (?, ?)`,
        [party.organisationId, 'organisation.admitted', 'organisation.rejected'],
      );
      expect(entries).toHaveLength(1);
      expect(entries[0].leaf_input).toContain('"from":"pending"');
    }
  });
});
