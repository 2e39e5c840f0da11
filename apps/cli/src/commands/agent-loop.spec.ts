import { jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toStoredEvaluation, type ReleasedResult } from '@app/compute/core';
import { encryptColumns, generateKeys, publicPart, type SecretKeyMaterial } from '@app/he';
import { generateResultKeyPair, openResult, type ResultKeyPair } from '@app/results/core';
import { buildJob, evaluateJob } from '../../../../sandbox/index.js';
import { AGENT_SPECS, stubBundle } from '../../../../test/support/agent-bundle-fixture.js';
import { ApiClient } from '../api-client.js';
import { readJournal } from './agent-journal.js';
import { agentPass } from './agent-loop.js';

// The agent's pass over HTTP against a stand-in for the platform's routes as the brief fixes them (list, bundle,
// release, refuse): what it posts, that the journal holds the decision before the platform hears of it, and that a
// retry after a failed post sends the very same sealed envelope.

const ROWS = 30;
const SPECS = AGENT_SPECS;
const v = Array.from({ length: ROWS }, (_, i) => (i * 41) % 101);

interface Posted {
  path: string;
  body: Record<string, unknown>;
  journalAtPost: unknown;
}

describe('exchange agent over HTTP', () => {
  let keys: SecretKeyMaterial[];
  let buyer: ResultKeyPair;
  let bundles: Record<string, unknown>;
  let server: Server;
  let api: ApiClient;
  let journalPath: string;
  let posted: Posted[];
  let answer: (path: string) => { status: number; body: unknown };
  let logged: string[];

  beforeAll(async () => {
    keys = [await generateKeys('bfv-8192-t50')];
    buyer = await generateResultKeyPair();
    const dataset = await encryptColumns(SPECS, [v], keys);
    const evaluation = toStoredEvaluation(
      await evaluateJob(
        buildJob({ dataset, keys: keys.map(publicPart), recipe: 'sum', bindings: { x: 'v' } }),
      ),
    );
    const bundle = (id: string, bindings: Record<string, string>) =>
      stubBundle({ id, evaluation, rows: ROWS, buyer, bindings });
    bundles = { 'c-ok': bundle('c-ok', { x: 'v' }), 'c-wide': bundle('c-wide', { x: 'salary' }) };
    server = createServer((req, res) => void route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'merchant-token');
  }, 120_000);

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    journalPath = join(mkdtempSync(join(tmpdir(), 'dx-agent-loop-')), 'agent-journal.json');
    posted = [];
    answer = () => ({ status: 200, body: { state: 'done' } });
    logged = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer merchant-token') return send(401, { message: 'no token' });
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/computations') {
      expect(url.searchParams.get('state')).toBe('evaluated');
      return send(200, {
        items: ['c-ok', 'c-wide', 'c-foreign'].map((id) => ({ id, state: 'evaluated' })),
        next: null,
      });
    }
    const m = /^\/v1\/computations\/([^/]+)\/(evaluation|release|refuse)$/.exec(url.pathname);
    if (!m) return send(404, { message: 'no route' });
    const [, id, what] = m;
    if (req.method === 'GET' && what === 'evaluation') {
      return bundles[id] ? send(200, bundles[id]) : send(404, { message: 'not found' });
    }
    let text = '';
    for await (const chunk of req) text += String(chunk);
    posted.push({
      path: url.pathname,
      body: JSON.parse(text) as Record<string, unknown>,
      journalAtPost: readJournal(journalPath),
    });
    const { status, body } = answer(url.pathname);
    send(status, body);
  }

  const pass = () => agentPass(api, { journalPath, keys, json: false });

  it('posts the sealed release and the refusal, each journalled before the platform hears of it', async () => {
    const outcomes = await pass();
    expect(outcomes.map((o) => [o.computationId, o.outcome, o.code])).toEqual([
      ['c-ok', 'released', undefined],
      ['c-wide', 'refused', 'column_not_in_contract'],
    ]);
    const release = posted.find((p) => p.path.endsWith('/c-ok/release'))!;
    expect(release.body.epsilonSpentMilli).toBe(1000);
    const atPost = (release.journalAtPost as ReturnType<typeof readJournal>).contracts['k-1'].entries;
    expect(atPost).toContainEqual(
      expect.objectContaining({ computationId: 'c-ok', posted: false, envelope: release.body.envelope }),
    );
    const refusal = posted.find((p) => p.path.endsWith('/c-wide/refuse'))!;
    expect(refusal.body).toMatchObject({
      code: 'column_not_in_contract',
      reason: expect.stringMatching(/salary/),
    });

    const result = JSON.parse(
      new TextDecoder().decode(
        await openResult(buyer.privateKey, release.body.envelope, {
          computationId: 'c-ok',
          contractId: 'k-1',
        }),
      ),
    ) as ReleasedResult;
    const truth = v.reduce((s, x) => s + x, 0);
    expect(Math.abs((result.output as number) - truth)).toBeLessThan(2500);
    const entries = readJournal(journalPath).contracts['k-1'].entries;
    expect(entries.every((e) => e.posted)).toBe(true);
    // One line per computation handled (none for another merchant's), and no value in them.
    expect(logged).toHaveLength(2);
    expect(logged.join('\n')).not.toContain(String(truth));
    expect(logged.join('\n')).not.toContain(`${result.aggregates.sx} `);
  });

  it('after a failed post, the next pass re-posts the very same envelope (no second noising, no second ε)', async () => {
    answer = (path) =>
      path.endsWith('/release') ? { status: 503, body: { message: 'down' } } : { status: 200, body: {} };
    const first = await pass();
    expect(first.find((o) => o.computationId === 'c-ok')?.outcome).toBe('failed');
    const entryAfterFailure = readJournal(journalPath).contracts['k-1'].entries.find(
      (e) => e.computationId === 'c-ok',
    );
    expect(entryAfterFailure).toMatchObject({ kind: 'release', posted: false });

    answer = () => ({ status: 200, body: {} });
    const second = await pass();
    expect(second.find((o) => o.computationId === 'c-ok')?.outcome).toBe('released');
    const releases = posted.filter((p) => p.path.endsWith('/c-ok/release'));
    expect(releases).toHaveLength(2);
    expect(releases[1].body).toEqual(releases[0].body);
    const journal = readJournal(journalPath);
    expect(journal.contracts['k-1'].entries.filter((e) => e.computationId === 'c-ok')).toHaveLength(1);
    expect(journal.contracts['k-1'].entries.find((e) => e.computationId === 'c-ok')).toMatchObject({
      posted: true,
      milliEpsilon: 1000,
    });
  });

  it("turns the platform's own budget refusal into a budget_exhausted refusal of the computation", async () => {
    answer = (path) =>
      path.endsWith('/release')
        ? { status: 422, body: { code: 'budget_exhausted', message: 'no ε left' } }
        : { status: 200, body: {} };
    const outcomes = await pass();
    expect(outcomes.find((o) => o.computationId === 'c-ok')).toMatchObject({
      outcome: 'refused',
      code: 'budget_exhausted',
    });
    expect(posted.find((p) => p.path.endsWith('/c-ok/refuse'))?.body).toMatchObject({
      code: 'budget_exhausted',
    });
  });
});
