import { MikroORM } from '@mikro-orm/core';
import { totpAt } from '@app/identity';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, World, newCreditCode, newResidentId, uniqueName } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

let t: TestApp;
let world: World;
let operator: HttpClient;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  // A token, not a session: tests below move the clock past the session lifetime.
  operator = await world.operatorProgramme();
});
afterAll(() => t.close());

const countOrganisations = async (): Promise<number> =>
  (await operator.get('/v1/organisations')).body.organisations.length;

const ledgerActions = async (subjectId: string): Promise<string[]> => {
  const rows: { action: string }[] = await t.app
    .get(MikroORM)
    .em.getConnection()
    .execute(
      'select e."action" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index" where s."subject_id" = ? order by e."leaf_index"',
      [subjectId],
    );
  return rows.map((r) => r.action);
};

const wrongCheckCharacter = (code: string): string => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

const signUpBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'organisation',
  name: 'Haidong Data Co.',
  creditCode: newCreditCode(),
  roles: ['merchant'],
  admin: { username: uniqueName('m'), password: PASSWORD, displayName: 'M' },
  ...overrides,
});

describe('registration', () => {
  it('registers an organisation by credit code, pending admission, and records it on the ledger', async () => {
    const body = signUpBody({ roles: ['merchant', 'buyer'] });
    const reply = await world.anonymous.post('/v1/organisations', body);
    expect(reply.status).toBe(201);
    expect(reply.body.organisation).toMatchObject({
      status: 'pending',
      identifier: body.creditCode,
      roles: ['merchant', 'buyer'],
    });
    expect(JSON.stringify(reply.body)).not.toContain(PASSWORD);
    expect(await ledgerActions(reply.body.organisation.id)).toEqual([
      'organisation.registered',
      'account.created',
    ]);
  });

  it('registers a natural person by resident ID and never shows the full number back', async () => {
    const idNumber = newResidentId();
    const reply = await world.anonymous.post('/v1/organisations', {
      kind: 'person',
      name: '张三',
      idNumber,
      roles: ['buyer'],
      admin: { username: uniqueName('p'), password: PASSWORD, displayName: '张三' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.organisation.identifier).toBe(`${idNumber.slice(0, 6)}**********${idNumber.slice(16)}`);
    expect(JSON.stringify(reply.body)).not.toContain(idNumber);
  });

  it.each([
    ['a wrong check character', () => ({ creditCode: wrongCheckCharacter(newCreditCode()) }), /creditCode/],
    ['a letter GB 32100 excludes', () => ({ creditCode: '91440300I922038216' }), /creditCode/],
    ['a missing credit code', () => ({ creditCode: undefined }), /creditCode/],
  ])('refuses an organisation with %s, naming the field, and creates nothing', async (_, change, field) => {
    const before = await countOrganisations();
    const body = signUpBody(change());
    const reply = await world.anonymous.post('/v1/organisations', body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(field);
    expect(await countOrganisations()).toBe(before);
  });

  it('refuses a resident ID with a wrong check digit or an impossible birth date', async () => {
    const good = newResidentId();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const badDate = '110105' + '19990230' + '123';
    for (const idNumber of [wrongCheck, badDate + '0', badDate + 'X']) {
      const reply = await world.anonymous.post('/v1/organisations', {
        kind: 'person',
        name: 'x',
        idNumber,
        roles: ['buyer'],
        admin: { username: uniqueName('p'), password: PASSWORD, displayName: 'x' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.message).toMatch(/^idNumber /);
    }
  });

  it('refuses a duplicate party, a taken username, self-granted oversight and a person as merchant', async () => {
    const body = signUpBody();
    expect((await world.anonymous.post('/v1/organisations', body)).status).toBe(201);
    const again = await world.anonymous.post('/v1/organisations', {
      ...body,
      admin: { ...body.admin, username: uniqueName('x') },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'party_exists' } });
    const taken = await world.anonymous.post('/v1/organisations', signUpBody({ admin: body.admin }));
    expect(taken).toMatchObject({ status: 409, body: { code: 'username_taken' } });
    expect(
      (await world.anonymous.post('/v1/organisations', signUpBody({ roles: ['operator'] }))).status,
    ).toBe(400);
    const person = await world.anonymous.post('/v1/organisations', {
      kind: 'person',
      name: 'x',
      idNumber: newResidentId(),
      roles: ['merchant'],
      admin: { username: uniqueName('p'), password: PASSWORD, displayName: 'x' },
    });
    expect(person.status).toBe(400);
    expect(person.body.message).toMatch(/natural person/);
  });
});

describe('admission', () => {
  it('gives a party its roles only once the operator admits it, and records the decision', async () => {
    const party = await world.party(['buyer']);
    expect((await party.client.get('/v1/auth/me')).body.roles).toEqual([]);
    const admitted = await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'admit',
    });
    expect(admitted).toMatchObject({ status: 200, body: { status: 'admitted' } });
    expect((await party.client.get('/v1/auth/me')).body.roles).toEqual(['buyer']);
    const again = await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'admit',
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_transition' } });
    const suspended = await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'suspend',
      reason: 'DS 58 violation under review',
    });
    expect(suspended.body).toMatchObject({
      status: 'suspended',
      statusReason: 'DS 58 violation under review',
    });
    expect((await party.client.get('/v1/auth/me')).body.roles).toEqual([]);
    expect(await ledgerActions(party.organisationId)).toEqual([
      'organisation.registered',
      'account.created',
      'organisation.admitted',
      'organisation.suspended',
    ]);
  });
});

describe('login', () => {
  it('signs in with the right password and refuses a wrong one without saying which part was wrong', async () => {
    const party = await world.party(['buyer'], operator);
    const ok = await world.anonymous.post('/v1/auth/login', { username: party.username, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^dxs_/);
    const wrong = await world.anonymous.post('/v1/auth/login', {
      username: party.username,
      password: 'not the password',
    });
    const nobody = await world.anonymous.post('/v1/auth/login', {
      username: 'nobody-here',
      password: 'not the password',
    });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'bad_credentials' } });
    expect(nobody).toMatchObject({
      status: 401,
      body: { code: 'bad_credentials', message: wrong.body.message },
    });
  });

  it('locks an account after five failures, even against the right password, until the lock expires', async () => {
    const party = await world.party(['buyer'], operator);
    for (let i = 0; i < 4; i++) {
      expect(
        (
          await world.anonymous.post('/v1/auth/login', {
            username: party.username,
            password: 'wrong password',
          })
        ).status,
      ).toBe(401);
    }
    const fifth = await world.anonymous.post('/v1/auth/login', {
      username: party.username,
      password: 'wrong password',
    });
    expect(fifth).toMatchObject({ status: 423, body: { code: 'account_locked' } });
    const right = await world.anonymous.post('/v1/auth/login', {
      username: party.username,
      password: PASSWORD,
    });
    expect(right).toMatchObject({ status: 423, body: { code: 'account_locked' } });
    expect(await ledgerActions(party.accountId)).toContain('account.locked');
    t.clock.advance(15 * 60_000 + 1000);
    expect(
      (await world.anonymous.post('/v1/auth/login', { username: party.username, password: PASSWORD })).status,
    ).toBe(200);
  });

  it('expires sessions', async () => {
    const party = await world.party(['buyer'], operator);
    expect((await party.client.get('/v1/auth/me')).status).toBe(200);
    t.clock.advance(t.config.sessionTtlMinutes * 60_000 + 1000);
    expect((await party.client.get('/v1/auth/me')).status).toBe(401);
  });

  it('ends a session at logout', async () => {
    const party = await world.party(['buyer'], operator);
    expect((await party.client.post('/v1/auth/logout')).status).toBe(204);
    expect((await party.client.get('/v1/auth/me')).status).toBe(401);
  });
});

describe('second factor for regulators and operators', () => {
  it('gives an operator-registered regulator a one-time enrolment link, not a password the operator chose', async () => {
    const regulatorBody = {
      name: '海东市数据局',
      creditCode: newCreditCode(),
      role: 'regulator',
      admin: { username: uniqueName('reg'), displayName: 'Regulator' },
    };
    const withPassword = await operator.post('/v1/organisations/overseers', {
      ...regulatorBody,
      admin: { ...regulatorBody.admin, password: PASSWORD },
    });
    expect(withPassword.status).toBe(400);
    expect(withPassword.body.message).toMatch(/password/);
    const created = await operator.post('/v1/organisations/overseers', regulatorBody);
    expect(created.status).toBe(201);
    const link = created.body.enrolment.token as string;
    expect(link).toMatch(/^dxe_/);
    const username = regulatorBody.admin.username;

    // Before the link is redeemed the account has no password at all: nothing the operator could try works.
    for (const password of [PASSWORD, '!enrolment-pending']) {
      const early = await world.anonymous.post('/v1/auth/login', { username, password });
      expect(early).toMatchObject({ status: 401, body: { code: 'bad_credentials' } });
    }
    const redeemed = await world.anonymous.post('/v1/auth/enrolment', { token: link, password: PASSWORD });
    expect(redeemed).toMatchObject({ status: 200, body: { username } });
    const again = await world.anonymous.post('/v1/auth/enrolment', {
      token: link,
      password: 'another passphrase',
    });
    expect(again).toMatchObject({ status: 401, body: { code: 'bad_enrolment_link' } });
    expect(await ledgerActions(created.body.account.id)).toEqual(['account.created', 'account.enrolled']);
    expect(JSON.stringify(await ledgerActions(created.body.organisation.id))).not.toContain(link);

    const first = await world.login(username);
    expect((await first.get('/v1/organisations')).body).toMatchObject({ code: 'second_factor_required' });
    const enrolment = await first.post('/v1/auth/totp');
    expect(enrolment.status).toBe(201);
    expect(enrolment.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect((await first.post('/v1/auth/totp/confirm', { code: '000000' })).status).toBe(401);
    const code = totpAt(enrolment.body.secret, t.clock.now());
    expect((await first.post('/v1/auth/totp/confirm', { code })).status).toBe(204);
    expect((await first.get('/v1/organisations')).status).toBe(200);
    expect((await first.post('/v1/auth/totp')).status).toBe(409);
    expect(await ledgerActions(created.body.account.id)).toContain('account.totpEnabled');
  });

  it('answers a missing, wrong or reused TOTP code exactly as a wrong password, so none confirms the password', async () => {
    const regulator = await world.overseer('regulator');
    t.clock.advance(30_000);
    const current = totpAt(regulator.totpSecret, t.clock.now());
    const wrongPassword = await world.anonymous.post('/v1/auth/login', {
      username: regulator.username,
      password: 'not the password',
      totp: current,
    });
    expect(wrongPassword).toMatchObject({ status: 401, body: { code: 'bad_credentials' } });
    expect(wrongPassword.body.message).toMatch(/TOTP code/);
    const noCode = await world.anonymous.post('/v1/auth/login', {
      username: regulator.username,
      password: PASSWORD,
    });
    const wrongCode = await world.anonymous.post('/v1/auth/login', {
      username: regulator.username,
      password: PASSWORD,
      totp: current === '123456' ? '654321' : '123456',
    });
    const ok = await world.anonymous.post('/v1/auth/login', {
      username: regulator.username,
      password: PASSWORD,
      totp: current,
    });
    expect(ok).toMatchObject({ status: 200, body: { secondFactorDone: true } });
    const replay = await world.anonymous.post('/v1/auth/login', {
      username: regulator.username,
      password: PASSWORD,
      totp: current,
    });
    for (const reply of [noCode, wrongCode, replay]) {
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ code: 'bad_credentials', message: wrongPassword.body.message });
    }
  });
});

describe('separation of duties', () => {
  it('keeps the operator from suspending or otherwise deciding on a regulator body', async () => {
    const regulator = await world.overseer('regulator');
    for (const decision of ['suspend', 'admit', 'reject', 'reinstate']) {
      const reply = await operator.post(`/v1/organisations/${regulator.organisationId}/admission`, {
        decision,
      });
      expect(reply).toMatchObject({ status: 403, body: { code: 'regulator_body' } });
    }
    expect((await regulator.client.get('/v1/auth/me')).body.roles).toEqual(['regulator']);
    expect(await ledgerActions(regulator.organisationId)).toEqual([
      'organisation.registered',
      'account.created',
    ]);
  });
});

describe('guessing the second factor', () => {
  it('locks an operator after five wrong TOTP codes, even with the right password', async () => {
    const overseer = await world.overseer('operator');
    t.clock.advance(30_000);
    const current = totpAt(overseer.totpSecret, t.clock.now());
    const wrong = current === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      const reply = await world.anonymous.post('/v1/auth/login', {
        username: overseer.username,
        password: PASSWORD,
        totp: wrong,
      });
      expect(reply.body.code).toBe('bad_credentials');
    }
    const fifth = await world.anonymous.post('/v1/auth/login', {
      username: overseer.username,
      password: PASSWORD,
      totp: wrong,
    });
    expect(fifth).toMatchObject({ status: 423, body: { code: 'account_locked' } });
    const right = await world.anonymous.post('/v1/auth/login', {
      username: overseer.username,
      password: PASSWORD,
      totp: current,
    });
    expect(right.status).toBe(423);
    expect(await ledgerActions(overseer.accountId)).toContain('account.locked');
  });
});

describe('before admission', () => {
  it('lets a pending organisation sign in and look at itself, but not create API tokens or accounts', async () => {
    const pending = await world.party(['merchant']);
    expect((await pending.client.get('/v1/auth/me')).status).toBe(200);
    const token = await pending.client.post('/v1/tokens', { name: 'early', scopes: ['merchant:read'] });
    expect(token).toMatchObject({ status: 403, body: { code: 'organisation_not_admitted' } });
    const member = await pending.client.post('/v1/accounts', {
      username: uniqueName('early'),
      password: PASSWORD,
      displayName: 'Early',
    });
    expect(member).toMatchObject({ status: 403, body: { code: 'organisation_not_admitted' } });
    expect((await pending.client.get('/v1/tokens')).body.tokens).toHaveLength(0);
    expect((await pending.client.get('/v1/accounts')).body.accounts).toHaveLength(1);
    await operator.post(`/v1/organisations/${pending.organisationId}/admission`, { decision: 'admit' });
    expect((await pending.client.post('/v1/tokens', { name: 'now', scopes: ['merchant:read'] })).status).toBe(
      201,
    );
  });
});

describe('API tokens', () => {
  it('shows the secret once, authenticates with it, lists it with its last use, and stops it at revocation', async () => {
    const party = await world.party(['merchant', 'buyer'], operator);
    const created = await party.client.post('/v1/tokens', { name: 'nightly', scopes: ['buyer:read'] });
    expect(created.status).toBe(201);
    const secret = created.body.token as string;
    expect(secret).toMatch(/^dxt_/);
    const program = world.anonymous.as(secret);
    const me = await program.get('/v1/auth/me');
    expect(me.body).toMatchObject({ via: 'token', roles: ['buyer'], writeRoles: [] });
    expect((await program.get(`/v1/organisations/${party.organisationId}`)).status).toBe(200);

    const listed = await party.client.get('/v1/tokens');
    expect(listed.body.tokens).toHaveLength(1);
    expect(listed.body.tokens[0]).toMatchObject({
      id: created.body.id,
      prefix: secret.slice(0, 12),
      scopes: ['buyer:read'],
    });
    expect(listed.body.tokens[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    expect(
      (await program.post('/v1/tokens', { name: 'escalate', scopes: ['buyer:write'] })).body,
    ).toMatchObject({
      statusCode: 403,
      code: 'session_required',
    });
    expect((await party.client.delete(`/v1/tokens/${created.body.id}`)).body.revokedAt).not.toBeNull();
    expect((await program.get('/v1/auth/me')).status).toBe(401);
    expect(await ledgerActions(created.body.id)).toEqual(['apiToken.created', 'apiToken.revoked']);
  });

  it('refuses scopes beyond the organisation roles and malformed scopes', async () => {
    const party = await world.party(['buyer'], operator);
    const beyond = await party.client.post('/v1/tokens', { name: 'x', scopes: ['merchant:write'] });
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toMatch(/beyond the organisation/);
    expect((await party.client.post('/v1/tokens', { name: 'x', scopes: ['buyer:admin'] })).status).toBe(400);
    expect((await party.client.get('/v1/tokens')).body.tokens).toHaveLength(0);
  });

  it('requires operator and regulator tokens to expire within 30 days', async () => {
    const session = (await world.overseer('operator')).client;
    for (const body of [
      { name: 'forever', scopes: ['operator:read'] },
      { name: 'too long', scopes: ['operator:read'], expiresInDays: 31 },
    ]) {
      const refused = await session.post('/v1/tokens', body);
      expect(refused).toMatchObject({ status: 400, body: { code: 'token_expiry_required' } });
      expect(refused.body.message).toMatch(/expiresInDays/);
    }
    expect((await session.get('/v1/tokens')).body.tokens).toHaveLength(0);
    const capped = await session.post('/v1/tokens', {
      name: 'month',
      scopes: ['operator:read'],
      expiresInDays: 30,
    });
    expect(capped.status).toBe(201);
    expect(new Date(capped.body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 30 * 86_400_000);
    const merchant = await world.party(['merchant'], operator);
    expect(
      (await merchant.client.post('/v1/tokens', { name: 'x', scopes: ['merchant:read'] })).body.expiresAt,
    ).toBeNull();
  });

  it('lets a read-only operator token read but not decide', async () => {
    const session = (await world.overseer('operator')).client;
    const reader = await session.post('/v1/tokens', {
      name: 'dashboard',
      scopes: ['operator:read'],
      expiresInDays: 7,
    });
    const program = world.anonymous.as(reader.body.token);
    const party = await world.party(['buyer']);
    expect((await program.get(`/v1/organisations/${party.organisationId}`)).status).toBe(200);
    const decide = await program.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'admit',
    });
    expect(decide.status).toBe(403);
    expect((await operator.get(`/v1/organisations/${party.organisationId}`)).body.status).toBe('pending');
  });
});

describe('accounts of an organisation', () => {
  it('lets an organisation admin add a member who signs in with the organisation roles, and no one else add one', async () => {
    const party = await world.party(['merchant'], operator);
    const username = uniqueName('member');
    const added = await party.client.post('/v1/accounts', {
      username,
      password: PASSWORD,
      displayName: 'Member',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { username, organisationId: party.organisationId, organisationAdmin: false },
    });
    const member = await world.login(username);
    expect((await member.get('/v1/auth/me')).body).toMatchObject({
      organisationId: party.organisationId,
      roles: ['merchant'],
    });
    const byMember = await member.post('/v1/accounts', {
      username: uniqueName('x'),
      password: PASSWORD,
      displayName: 'X',
    });
    expect(byMember).toMatchObject({ status: 403, body: { code: 'not_organisation_admin' } });
    const listed = (await party.client.get('/v1/accounts')).body.accounts.map(
      (a: { username: string }) => a.username,
    );
    expect([...listed].sort()).toEqual([party.username, username].sort());
    const other = await world.party(['buyer'], operator);
    expect(
      (await other.client.get('/v1/accounts')).body.accounts.map((a: { username: string }) => a.username),
    ).toEqual([other.username]);
    expect(await ledgerActions(added.body.id)).toEqual(['account.created', 'session.started']);
  });
});
