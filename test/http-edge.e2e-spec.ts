import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { AppModule } from '../apps/api/src/app.module.js';
import { ACCESS } from '../apps/api/src/http/access.decorators.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, World, newCreditCode, uniqueName } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

let t: TestApp;
let world: World;
let operator: HttpClient;
let buyer: Awaited<ReturnType<World['party']>>;

beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  world = new World(t);
  // A token, not a session: the garbage test below also calls logout.
  operator = await world.operatorProgramme();
  buyer = await world.party(['buyer'], operator);
});
afterAll(() => t.close());

const countOrganisations = async (): Promise<number> =>
  (await operator.get('/v1/organisations')).body.organisations.length;

/** Every route the application serves, from the controllers' own metadata. */
function routes(): { method: string; path: string; handler: object; controller: object }[] {
  const controllers = AppModule.forRoot(t.config).controllers ?? [];
  return (controllers as (new (...args: never[]) => object)[]).flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    return Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => controller.prototype[name] as object)
      .filter((handler) => Reflect.hasMetadata(PATH_METADATA, handler))
      .map((handler) => ({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
        path: `/${base}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`
          .replace(/\/+/g, '/')
          .replace(/\/$/, ''),
        handler,
        controller,
      }));
  });
}

describe('deny by default', () => {
  it('every route declares who may call it', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(10);
    const undeclared = all.filter(
      (r) => !Reflect.getMetadata(ACCESS, r.handler) && !Reflect.getMetadata(ACCESS, r.controller),
    );
    expect(undeclared.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('every non-public route refuses a request without a credential, and one with a made-up credential', async () => {
    for (const route of routes()) {
      const access =
        Reflect.getMetadata(ACCESS, route.handler) ?? Reflect.getMetadata(ACCESS, route.controller);
      if (access.kind === 'public') continue;
      const path = route.path
        .replace(':id', '00000000-0000-4000-8000-000000000000')
        .replace(':treeSize', '1');
      const anonymous = await world.anonymous.request(
        route.method,
        path,
        route.method === 'GET' ? undefined : {},
      );
      expect([route.path, anonymous.status]).toEqual([route.path, 401]);
      const forged = await world.anonymous
        .as('dxs_' + 'A'.repeat(43))
        .request(route.method, path, route.method === 'GET' ? undefined : {});
      expect([route.path, forged.status]).toEqual([route.path, 401]);
    }
  });
});

describe('each role reaches only its routes', () => {
  it('keeps merchants, buyers and regulators away from the operator decisions', async () => {
    const regulator = await world.overseer('regulator');
    const merchant = await world.party(['merchant'], operator);
    const target = await world.party(['buyer']);
    for (const client of [buyer.client, merchant.client, regulator.client]) {
      const reply = await client.post(`/v1/organisations/${target.organisationId}/admission`, {
        decision: 'admit',
      });
      expect(reply).toMatchObject({ status: 403, body: { code: 'forbidden' } });
      const overseer = await client.post('/v1/organisations/overseers', {
        name: 'x',
        creditCode: newCreditCode(),
        role: 'regulator',
        admin: { username: uniqueName('r'), password: PASSWORD, displayName: 'x' },
      });
      expect(overseer.status).toBe(403);
    }
    expect((await operator.get(`/v1/organisations/${target.organisationId}`)).body.status).toBe('pending');
  });

  it("answers 404, not the record, for another party's organisation or token", async () => {
    const other = await world.party(['merchant'], operator);
    const foreignOrg = await buyer.client.get(`/v1/organisations/${other.organisationId}`);
    expect(foreignOrg).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(JSON.stringify(foreignOrg.body)).not.toContain(other.username);
    const token = await other.client.post('/v1/tokens', { name: 'theirs', scopes: ['merchant:read'] });
    expect((await buyer.client.delete(`/v1/tokens/${token.body.id}`)).status).toBe(404);
    expect((await other.client.get('/v1/tokens')).body.tokens[0].revokedAt).toBeNull();
    const list = await buyer.client.get('/v1/organisations');
    expect(list.body.organisations.map((o: { id: string }) => o.id)).toEqual([buyer.organisationId]);
  });

  it.each(['merchant', 'buyer', 'operator', 'regulator'] as const)(
    "gives a %s 404 for another party's token, and for another party's organisation unless it oversees",
    async (role) => {
      const caller =
        role === 'operator' || role === 'regulator'
          ? (await world.overseer(role)).client
          : (await world.party([role], operator)).client;
      const other = await world.party(['merchant'], operator);
      const token = await other.client.post('/v1/tokens', { name: 'theirs', scopes: ['merchant:read'] });
      expect((await caller.delete(`/v1/tokens/${token.body.id}`)).status).toBe(404);
      expect((await caller.get('/v1/tokens')).body.tokens.map((x: { id: string }) => x.id)).not.toContain(
        token.body.id,
      );
      const org = await caller.get(`/v1/organisations/${other.organisationId}`);
      expect(org.status).toBe(role === 'operator' || role === 'regulator' ? 200 : 404);
      const accounts = (await caller.get('/v1/accounts')).body.accounts.map(
        (a: { username: string }) => a.username,
      );
      expect(accounts).not.toContain(other.username);
    },
  );

  it('lets operators and regulators see every party', async () => {
    const regulator = await world.overseer('regulator');
    const seen = await regulator.client.get(`/v1/organisations/${buyer.organisationId}`);
    expect(seen).toMatchObject({ status: 200, body: { id: buyer.organisationId } });
  });
});

describe('bad input gets a 4xx that says what was wrong, and changes nothing', () => {
  const signUp = () => ({
    kind: 'organisation',
    name: 'Edge Co.',
    creditCode: newCreditCode(),
    roles: ['buyer'],
    admin: { username: uniqueName('e'), password: PASSWORD, displayName: 'E' },
  });

  it.each([
    ['a wrong type', (b: any) => ({ ...b, roles: 'buyer' }), /roles/],
    ['a number for a string', (b: any) => ({ ...b, name: 42 }), /name/],
    ['an unknown field', (b: any) => ({ ...b, isOperator: true }), /isOperator should not exist/],
    [
      'an unknown nested field',
      (b: any) => ({ ...b, admin: { ...b.admin, role: 'operator' } }),
      /admin\.role.*should not exist/,
    ],
    ['a missing nested object', (b: any) => ({ ...b, admin: undefined }), /admin/],
    ['a short password', (b: any) => ({ ...b, admin: { ...b.admin, password: 'short' } }), /password/],
    ['an unknown kind', (b: any) => ({ ...b, kind: 'robot' }), /kind/],
    ['an array body', () => [1, 2, 3], /./],
    ['a null body', () => null, /./],
  ])('%s', async (_, mutate, message) => {
    const before = await countOrganisations();
    const reply = await world.anonymous.request(
      'POST',
      '/v1/organisations',
      JSON.stringify(mutate(signUp())),
      {
        'content-type': 'application/json',
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
    expect(await countOrganisations()).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"kind": "organisation",', 'application/json', 400],
    ['an oversized body', JSON.stringify({ name: 'x'.repeat(100 * 1024) }), 'application/json', 413],
    ['an unsupported content type', 'kind=organisation', 'text/csv', 415],
  ])('%s', async (_, raw, contentType, status) => {
    const before = await countOrganisations();
    const reply = await world.anonymous.request('POST', '/v1/organisations', raw, {
      'content-type': contentType,
    });
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({
      statusCode: status,
      code: expect.any(String),
      message: expect.any(String),
    });
    expect(await countOrganisations()).toBe(before);
  });

  it('refuses malformed ids and query values with 400', async () => {
    expect((await operator.get('/v1/organisations/not-a-uuid')).status).toBe(400);
    expect((await operator.get('/v1/organisations?status=everything')).body).toMatchObject({
      statusCode: 400,
      message: /status/,
    });
    expect((await operator.get('/v1/organisations?extra=1')).status).toBe(400);
  });

  it('never answers 500 to garbage sent to any route', async () => {
    const garbage = [
      '{}',
      '[]',
      'null',
      '"x"',
      '{"a":{"b":{"c":[1,{"d":null}]}}}',
      '1e309',
      '{"__proto__":{"x":1}}',
      '{"code":[]}',
    ];
    for (const route of routes()) {
      const path = route.path.replace(':id', buyer.organisationId).replace(':treeSize', '1');
      for (const body of garbage) {
        for (const client of [world.anonymous, buyer.client, operator]) {
          const reply = await client.request(route.method, path, route.method === 'GET' ? undefined : body, {
            ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
          });
          expect([route.method, route.path, body, reply.status < 500]).toEqual([
            route.method,
            route.path,
            body,
            true,
          ]);
        }
      }
    }
    expect((await operator.get(`/v1/organisations/${buyer.organisationId}`)).body.status).toBe('admitted');
  });

  it('puts a correlation id on every response', async () => {
    const ok = await world.anonymous.get('/health');
    const bad = await world.anonymous.get('/v1/organisations');
    for (const reply of [ok, bad]) expect(reply.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.body.correlationId).toBe(bad.headers.get('x-correlation-id'));
  });
});

describe('unclear 400s made clear', () => {
  it('answers a form-encoded or text/plain body with 415 naming the accepted type, and changes nothing', async () => {
    const before = await countOrganisations();
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'kind=organisation&name=x'],
      ['text/plain', '{"kind":"organisation"}'],
    ]) {
      const reply = await world.anonymous.request('POST', '/v1/organisations', body, {
        'content-type': contentType,
      });
      expect(reply).toMatchObject({
        status: 415,
        body: {
          code: 'unsupported_media_type',
          message: `send the body as application/json, not ${contentType}`,
        },
      });
    }
    expect(await countOrganisations()).toBe(before);
  });

  it('says once that a number was sent as a string', async () => {
    const session = (await world.party(['buyer'], operator)).client;
    const reply = await session.post('/v1/tokens', {
      name: 'x',
      scopes: ['buyer:read'],
      expiresInDays: '30',
    });
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', message: 'expiresInDays must be an integer; got a string ("30")' },
    });
    expect((await session.get('/v1/tokens')).body.tokens).toEqual([]);
    const query = await operator.get('/v1/ledger/proof/inclusion?leafIndex=abc&treeSize=1');
    expect(query.body).toMatchObject({
      statusCode: 400,
      message: 'leafIndex must be an integer; got text that is not a number',
    });
    const name = await world.anonymous.post('/v1/organisations', { kind: 'person', name: 42 });
    expect(name.body.message).toMatch(/^name must be a string; got 42(;|$)/);
  });

  it('says that a query parameter was repeated', async () => {
    const reply = await operator.get('/v1/organisations?status=pending&status=admitted');
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'repeated_parameter', message: 'query parameter status is given 2 times; give it once' },
    });
  });

  it('tells a malformed bearer token from a missing one', async () => {
    for (const authorization of [
      'Bearer short',
      'Bearer ' + 'A'.repeat(20) + '!',
      'Basic dXNlcjpwYXNz',
      'bearer',
    ]) {
      const reply = await world.anonymous.request('GET', '/v1/auth/me', undefined, { authorization });
      expect([authorization, reply.status, reply.body.message]).toEqual([
        authorization,
        401,
        expect.stringMatching(/^the bearer token is not valid/),
      ]);
    }
    const missing = await world.anonymous.get('/v1/auth/me');
    expect(missing).toMatchObject({ status: 401, body: { message: /^send "Authorization: Bearer/ } });
  });

  it('keeps tab and line breaks in free text, where they belong', async () => {
    const party = await world.party(['buyer'], operator);
    const reason = 'first line\r\nsecond line\twith a tab';
    const reply = await operator.post(`/v1/organisations/${party.organisationId}/admission`, {
      decision: 'suspend',
      reason,
    });
    expect(reply).toMatchObject({ status: 200, body: { status: 'suspended', statusReason: reason } });
  });

  it('refuses a ledger search by a date new Date cannot read, and takes calendar dates', async () => {
    for (const from of [
      '2020-W01',
      '2020-W01-1',
      '2020-001',
      '2020-02-30',
      '2020-01-01T10:00',
      '2020-13-01',
    ]) {
      const reply = await operator.get(`/v1/ledger/search?from=${encodeURIComponent(from)}`);
      expect([from, reply.status, reply.body.message]).toEqual([
        from,
        400,
        expect.stringMatching(/^from must be a date/),
      ]);
    }
    for (const from of ['2020-01-01', '2020-02-29T23:59:59.999Z', '2020-01-01T08:00+08:00']) {
      const reply = await operator.get(`/v1/ledger/search?from=${encodeURIComponent(from)}&to=2100-01-01`);
      expect([from, reply.status]).toEqual([from, 200]);
      expect(reply.body.entries.length).toBeGreaterThan(0);
    }
  });
});

describe('correlation ids', () => {
  it("keeps the client's id when it is a UUID", async () => {
    const id = randomUUID();
    const reply = await world.anonymous.request('GET', '/v1/organisations', undefined, {
      'x-correlation-id': id.toUpperCase(),
    });
    expect(reply.headers.get('x-correlation-id')).toBe(id);
    expect(reply.body.correlationId).toBe(id);
  });

  it.each([
    ['a long value', 'x'.repeat(4000)],
    ['a log line', 'abc\tdef'],
    ['a near-UUID', '00000000-0000-0000-0000-00000000000g'],
    ['two ids', `${randomUUID()},${randomUUID()}`],
  ])('replaces %s with an id of its own', async (_, sent) => {
    const reply = await world.anonymous.request('GET', '/v1/organisations', undefined, {
      'x-correlation-id': sent,
    });
    const id = reply.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(sent);
    expect(reply.body.correlationId).toBe(id);
  });
});

describe('health and documentation', () => {
  it('reports database, queue and chain', async () => {
    const reply = await world.anonymous.get('/health');
    expect(reply).toMatchObject({
      status: 200,
      body: {
        status: 'ok',
        database: { kind: t.database.kind, ok: true },
        queue: { mode: t.config.redis ? 'redis' : 'in-process', ok: true },
        chain: { mode: 'off' },
      },
    });
  });

  it('shows the public what is up or down, and the reasons only to an overseer', async () => {
    const expectPublic = (body: any) => {
      expect(body).toEqual({
        status: expect.any(String),
        database: { kind: t.database.kind, ok: expect.any(Boolean) },
        queue: { mode: t.config.redis ? 'redis' : 'in-process', ok: expect.any(Boolean) },
        chain: { mode: 'off', ok: true },
      });
    };
    expectPublic((await world.anonymous.get('/health')).body);
    for (const forged of ['dxs_' + 'A'.repeat(43), 'not a token']) {
      const reply = await world.anonymous.request('GET', '/health', undefined, {
        authorization: `Bearer ${forged}`,
      });
      expect(reply.status).toBe(200);
      expectPublic(reply.body);
    }
    expectPublic((await buyer.client.get('/health')).body);
    const regulator = (await world.overseer('regulator')).client;
    for (const overseer of [regulator, operator]) {
      const seen = await overseer.get('/health');
      expect(seen).toMatchObject({
        status: 200,
        body: { chain: { mode: 'off', detail: expect.any(String) } },
      });
    }
  });

  it('does not show the public why a part is down (here Redis on a closed port)', async () => {
    const broken = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const anonymous = new World(broken).anonymous;
      const reply = await anonymous.get('/health');
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({
        status: 'degraded',
        database: { kind: broken.database.kind, ok: true },
        queue: { mode: 'redis', ok: false },
        chain: { mode: 'off', ok: true },
      });
      expect(JSON.stringify(reply.body)).not.toMatch(/127\.0\.0\.1|:9\b|ECONNREFUSED|detail/);
    } finally {
      await broken.close();
    }
  });

  it('serves OpenAPI with every route', async () => {
    const reply = await world.anonymous.get('/openapi.json');
    expect(reply.status).toBe(200);
    for (const route of routes()) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      expect([path, Object.keys(reply.body.paths[path] ?? {})]).toEqual([
        path,
        expect.arrayContaining([route.method.toLowerCase()]),
      ]);
    }
    expect((await world.anonymous.get('/docs')).status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  let doc: any;
  beforeAll(async () => {
    doc = (await world.anonymous.get('/openapi.json')).body;
  });

  const operations = (): [string, string, any][] =>
    Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
      Object.entries(item).map(([method, op]) => [method.toUpperCase(), path, op] as [string, string, any]),
    );
  const schemaOf = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];

  /** Every $ref in a schema, followed through the components, resolves. */
  function unresolved(schema: any, seen = new Set<string>()): string[] {
    if (!schema || typeof schema !== 'object') return [];
    if (typeof schema.$ref === 'string') {
      if (seen.has(schema.$ref)) return [];
      seen.add(schema.$ref);
      const target = schemaOf(schema.$ref);
      return target ? unresolved(target, seen) : [schema.$ref];
    }
    return Object.values(schema).flatMap((v) => unresolved(v, seen));
  }

  it('gives every 2xx answer with a body a schema, and no 2xx without one', () => {
    const missing: string[] = [];
    for (const [method, path, op] of operations()) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (success.length === 0) missing.push(`${method} ${path}: no 2xx`);
      for (const [status, response] of success as [string, any][]) {
        if (status === '204') {
          expect([method, path, response.content]).toEqual([method, path, undefined]);
          continue;
        }
        const content = Object.entries<any>(response.content ?? {});
        if (content.length === 0) missing.push(`${method} ${path} ${status}: no content`);
        for (const [type, media] of content) {
          const schema = media.schema?.$ref ? schemaOf(media.schema.$ref) : media.schema;
          if (!schema || (!schema.properties && !schema.type))
            missing.push(`${method} ${path} ${status} ${type}`);
          missing.push(...unresolved(media.schema).map((ref) => `${method} ${path}: unresolved ${ref}`));
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents the error body for every 4xx and 5xx', () => {
    const error = doc.components.schemas.ErrorResponse;
    expect(Object.keys(error.properties).sort()).toEqual([
      'article',
      'code',
      'correlationId',
      'message',
      'statusCode',
    ]);
    expect([...error.required].sort()).toEqual(['code', 'correlationId', 'message', 'statusCode']);
    for (const [method, path, op] of operations()) {
      for (const range of ['4XX', '5XX']) {
        expect([method, path, range, op.responses[range]?.content?.['application/json']?.schema]).toEqual([
          method,
          path,
          range,
          { $ref: '#/components/schemas/ErrorResponse' },
        ]);
      }
    }
  });

  it('marks bearer security exactly on the routes that need a credential', () => {
    for (const [method, path, op] of operations()) {
      const access = op['x-access'];
      const bearer = (op.security ?? []).some((s: object) => 'bearer' in s);
      expect([method, path, access.kind, bearer]).toEqual([
        method,
        path,
        access.kind,
        access.kind !== 'public',
      ]);
    }
    expect(doc.paths['/v1/ledger/key'].get.security ?? []).toEqual([]);
    expect(doc.paths['/v1/ledger/key'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/LedgerKeyResponse',
    });
  });

  it('documents the ledger export as NDJSON', () => {
    const content = doc.paths['/v1/ledger/export'].get.responses['200'].content;
    expect(Object.keys(content)).toEqual(['application/x-ndjson']);
  });

  /** Where a body departs from its schema: a missing required field, a field the schema does not name, a wrong type. */
  function departures(value: unknown, schema: any, at: string): string[] {
    if (schema.$ref) return departures(value, schemaOf(schema.$ref), at);
    if (schema.allOf) {
      const merged = { type: 'object', properties: {}, required: [] as string[] };
      for (const part of schema.allOf.map((x: any) => (x.$ref ? schemaOf(x.$ref) : x))) {
        Object.assign(merged.properties, part.properties);
        merged.required.push(...(part.required ?? []));
      }
      return departures(value, merged, at);
    }
    if (value === null) return schema.nullable ? [] : [`${at}: null`];
    if (schema.type === 'array') {
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, i) => departures(item, schema.items, `${at}[${i}]`));
    }
    if (schema.properties) {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      return [
        ...(schema.required ?? [])
          .filter((k: string) => !(k in record))
          .map((k: string) => `${at}.${k}: missing`),
        ...Object.keys(record)
          .filter((k) => !(k in schema.properties))
          .map((k) => `${at}.${k}: not in the schema`),
        ...Object.entries(schema.properties).flatMap(([k, sub]) =>
          k in record ? departures(record[k], sub, `${at}.${k}`) : [],
        ),
      ];
    }
    const type = schema.type === 'integer' ? 'number' : schema.type;
    if (type && type !== 'object' && typeof value !== type)
      return [`${at}: ${typeof value}, not ${schema.type}`];
    return [];
  }

  it('describes exactly what the API answers on every JSON GET route', async () => {
    const regulator = (await world.overseer('regulator')).client;
    const party = (await world.party(['merchant', 'buyer'], operator)).client;
    const query: Record<string, string> = {
      start: '0',
      end: '0',
      leafIndex: '0',
      treeSize: '1',
      first: '0',
      second: '1',
    };
    const found: string[] = [];
    let checked = 0;
    for (const [method, path, op] of operations()) {
      const content = op.responses['200']?.content?.['application/json'];
      if (method !== 'GET' || path.includes('{') || !content) continue;
      const required = (op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required);
      const search = required.map((p: any) => `${p.name}=${query[p.name]}`).join('&');
      // A route overseers may not call (a party's own, such as its signing address) is asked by a party.
      const access = op['x-access'];
      const client = access?.kind === 'roles' && !access.roles.includes('regulator') ? party : regulator;
      const reply = await client.get(search ? `${path}?${search}` : path);
      expect([path, reply.status]).toEqual([path, 200]);
      found.push(...departures(reply.body, content.schema, path));
      checked++;
    }
    expect(found).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('describes what the API answers: a signed-up organisation matches its schema', async () => {
    const signUp = doc.components.schemas.SignUpResponse;
    const organisation = schemaOf(
      signUp.properties.organisation.$ref ?? signUp.properties.organisation.allOf[0].$ref,
    );
    const created = await world.party(['merchant']);
    const shown = (await created.client.get(`/v1/organisations/${created.organisationId}`)).body;
    expect(Object.keys(shown).sort()).toEqual(Object.keys(organisation.properties).sort());
  });
});
