import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { MAX_JSON_DEPTH } from '../apps/api/src/http/input-rules.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World } from './support/world.js';
import type { HttpClient, Reply } from './support/http-client.js';

/**
 * Hostile input to every route the OpenAPI document lists: control characters in the path, the query and the
 * body, a 100,000-level JSON body, bodies that are not JSON. Each must be a 4xx whose message names the problem,
 * for an anonymous caller and for a principal the route admits (so a body is not stopped by authentication first).
 */

let t: TestApp;
let world: World;
let doc: OpenApi;
const principals = new Map<string, HttpClient>();

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  'x-access': { kind: 'public' | 'authenticated' | 'roles'; roles?: string[] };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  doc = (await world.anonymous.get('/openapi.json')).body;
  const operator = await world.overseer('operator');
  principals.set('operator', operator.client);
  principals.set('regulator', (await world.overseer('regulator')).client);
  const programme = await world.operatorProgramme();
  principals.set('merchant', (await world.party(['merchant'], programme)).client);
  principals.set('buyer', (await world.party(['buyer'], programme)).client);
  const assessor = await world.party(['buyer'], programme);
  await programme.post(`/v1/organisations/${assessor.organisationId}/roles`, { role: 'assessor' });
  principals.set('assessor', assessor.client);
});
afterAll(() => t.close());

const resolve = (schema: Schema): Schema =>
  schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]) : schema;

/** A body of the shape the schema asks for, and the paths of its string fields. */
function sample(schema: Schema, path = ''): { value: unknown; strings: string[] } {
  const s = resolve(schema);
  if (s.allOf)
    return sample({ properties: Object.assign({}, ...s.allOf.map((x) => resolve(x).properties)) }, path);
  if (s.enum) return { value: s.enum[0], strings: typeof s.enum[0] === 'string' ? [path] : [] };
  if (s.type === 'string')
    return { value: typeof s.example === 'string' ? s.example : 'text', strings: [path] };
  if (s.type === 'number' || s.type === 'integer') return { value: 1, strings: [] };
  if (s.type === 'boolean') return { value: true, strings: [] };
  if (s.type === 'array') {
    const item = sample(s.items ?? { type: 'string' }, `${path}[0]`);
    return { value: [item.value], strings: item.strings };
  }
  const value: Record<string, unknown> = {};
  const strings: string[] = [];
  for (const [key, property] of Object.entries(s.properties ?? {})) {
    const inner = sample(property, path ? `${path}.${key}` : key);
    value[key] = inner.value;
    strings.push(...inner.strings);
  }
  return { value, strings };
}

function withString(body: unknown, path: string, text: string): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: any = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys[keys.length - 1]] = text;
  return copy;
}

interface Route {
  method: string;
  template: string;
  operation: Operation;
  /** The path with each parameter filled by a well-formed value (or `hostile` in the named one). */
  path(hostile?: { name: string; value: string }): string;
  query: string[];
  body?: Schema;
}

function routes(): Route[] {
  return Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      operation,
      path: (hostile?: { name: string; value: string }) =>
        template.replace(/\{(\w+)\}/g, (_, name: string) => {
          if (hostile?.name === name) return hostile.value;
          const param = operation.parameters?.find((p) => p.name === name);
          return param?.schema?.type === 'number' ? '1' : randomUUID();
        }),
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: operation.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** Anonymous, and a principal the route admits. */
function callers(route: Route): [string, HttpClient][] {
  const access = route.operation['x-access'];
  const admitted =
    access.kind === 'roles'
      ? access.roles!.find((role) => principals.has(role))!
      : access.kind === 'authenticated'
        ? 'buyer'
        : 'operator';
  return [
    ['anonymous', world.anonymous],
    [admitted, principals.get(admitted)!],
  ];
}

const NESTS = new RegExp(`nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
const HAS_BODY = (route: Route) => route.method !== 'GET' && route.method !== 'HEAD';

/** Sends a raw request, so that a GET can carry a body (fetch refuses to send one). */
function raw(method: string, path: string, body: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((done, fail) => {
    const url = new URL(path, t.baseUrl);
    const req = httpRequest(
      url,
      { method, agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          done({
            status: res.statusCode!,
            body,
            headers: new Headers(res.headers as Record<string, string>),
          });
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

async function send(
  client: HttpClient,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
): Promise<Reply> {
  if (body === undefined) return client.request(method, path);
  if (method === 'GET') {
    return raw(method, path, body, {
      'content-type': contentType,
      ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
    });
  }
  return client.request(method, path, body, { 'content-type': contentType });
}

/** One hostile request and the message its 4xx must carry. */
interface Case {
  what: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  status: number;
  message: RegExp;
}

function cases(route: Route): Case[] {
  const out: Case[] = [];
  const base = { method: route.method };
  const plainPath = route.path();

  for (const name of [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
    for (const [label, encoded, char] of [
      ['NUL', '%00', 'U\\+0000'],
      ['escape', '%1B', 'U\\+001B'],
      ['line feed', '%0A', 'U\\+000A'],
    ]) {
      out.push({
        ...base,
        what: `${label} in path parameter ${name}`,
        path: route.path({ name, value: `1${encoded}` }),
        status: 400,
        message: new RegExp(`path parameter ${name} contains the control character ${char}`),
      });
    }
  }

  const queryNames = route.query.length ? route.query : ['unexpected'];
  for (const name of queryNames) {
    for (const [label, encoded, char] of [
      ['NUL', '%00', 'U\\+0000'],
      ['bell', '%07', 'U\\+0007'],
      ['carriage return', '%0D', 'U\\+000D'],
      ['C1 next line', '%C2%85', 'U\\+0085'],
    ]) {
      out.push({
        ...base,
        what: `${label} in query parameter ${name}`,
        path: `${plainPath}?${name}=a${encoded}b`,
        status: 400,
        message: new RegExp(`query parameter ${name} contains the control character ${char}`),
      });
    }
    out.push({
      ...base,
      what: `query parameter ${name} repeated`,
      path: `${plainPath}?${name}=1&${name}=2`,
      status: 400,
      message: new RegExp(`query parameter ${name} is given 2 times; give it once`),
    });
  }
  out.push({
    ...base,
    what: 'NUL in a query parameter name',
    path: `${plainPath}?a%00b=1`,
    status: 400,
    message: /query parameter name contains the control character U\+0000/,
  });

  if (HAS_BODY(route)) {
    const { value, strings } = route.body ? sample(route.body) : { value: {}, strings: [] };
    const fields = strings.length ? strings : ['note'];
    const template = strings.length ? value : { note: 'text' };
    for (const field of fields) {
      for (const [label, text, char] of [
        ['NUL', 'a\u0000b', 'U\\+0000'],
        ['backspace', 'a\u0008b', 'U\\+0008'],
        ['DEL', 'a\u007fb', 'U\\+007F'],
      ]) {
        out.push({
          ...base,
          what: `${label} in body field ${field}`,
          path: plainPath,
          body: JSON.stringify(withString(template, field, text)),
          status: 400,
          message: new RegExp(
            `body field ${field.replace(/[[\].]/g, '\\$&')} contains the control character ${char}`,
          ),
        });
      }
      out.push({
        ...base,
        what: `lone surrogate in body field ${field}`,
        path: plainPath,
        body: JSON.stringify(withString(template, field, 'x')).replace('"x"', '"\\ud800"'),
        status: 400,
        message: /is not well-formed Unicode/,
      });
    }
    out.push({
      ...base,
      what: 'NUL in a body field name',
      path: plainPath,
      body: JSON.stringify({ ...(template as object), 'a\u0000b': 1 }),
      status: 400,
      message: /a body field name contains the control character U\+0000/,
    });
  }

  const depth = 100_000;
  // The type the route takes: JSON, or raw bytes for a file upload (the 415 names it).
  const accepted = (Object.keys(route.operation.requestBody?.content ?? {})[0] ?? 'application/json').replace(
    /[/+.]/g,
    '\\$&',
  );
  const bodies: [string, string, string, number, RegExp][] = HAS_BODY(route)
    ? [
        ['100,000-deep arrays', '['.repeat(depth) + ']'.repeat(depth), 'application/json', 400, NESTS],
        [
          '100,000-deep objects',
          '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
          'application/json',
          400,
          NESTS,
        ],
        [
          'form-encoded',
          'name=x&kind=organisation',
          'application/x-www-form-urlencoded',
          415,
          /not application\/x-www-form-urlencoded/,
        ],
        [
          'text/plain',
          'hello',
          'text/plain',
          415,
          new RegExp(`send the body as ${accepted}, not text\\/plain`),
        ],
        ['text/plain JSON', '{"username":"x"}', 'text/plain; charset=utf-8', 415, new RegExp(accepted)],
      ]
    : [
        ['a body on GET', '{"a":1}', 'application/json', 400, /takes no body/],
        ['a text/plain body on GET', 'hello', 'text/plain', 400, /takes no body/],
        [
          'a 100,000-deep body on GET',
          '['.repeat(depth) + ']'.repeat(depth),
          'application/json',
          400,
          /takes no body/,
        ],
      ];
  for (const [what, body, contentType, status, message] of bodies) {
    out.push({ ...base, what, path: plainPath, body, contentType, status, message });
  }
  return out;
}

describe('hostile input to every route of the OpenAPI document', () => {
  it('lists the routes with who may call them', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(20);
    for (const route of all)
      expect([route.template, route.operation['x-access']?.kind]).toEqual([
        route.template,
        expect.any(String),
      ]);
  });

  it('answers each with a 4xx naming the problem, anonymous or signed in, and never a 5xx', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes()) {
      for (const [who, client] of callers(route)) {
        for (const c of cases(route)) {
          const reply = await send(client, c.method, c.path, c.body, c.contentType);
          checked++;
          const ok =
            reply.status === c.status &&
            reply.body?.statusCode === c.status &&
            typeof reply.body?.code === 'string' &&
            c.message.test(String(reply.body?.message)) &&
            reply.body?.correlationId === reply.headers.get('x-correlation-id');
          if (!ok) {
            failures.push(
              `${who} ${c.method} ${route.template} ${c.what}: ${reply.status} ${JSON.stringify(reply.body)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
    // The principals still work: nothing above reached a handler (a logout, say).
    for (const client of principals.values()) expect((await client.get('/v1/auth/me')).status).toBe(200);
  });
});
