import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toStoredEvaluation, type ReleasedResult } from '@app/compute/core';
import { encryptColumns, generateKeys, publicPart, sealSecretKey } from '@app/he';
import { generateResultKeyPair, openResult, type ResultKeyPair } from '@app/results/core';
import { buildJob, evaluateJob } from '../sandbox/index.js';
import { AGENT_SPECS, stubBundle } from './support/agent-bundle-fixture.js';
import { runCli } from './support/run-cli.js';

// `exchange agent` as a merchant runs it: its own process, a sealed HE key file opened with EXCHANGE_KEY_PASSPHRASE,
// against a stand-in for the platform's routes as the brief fixes them (list, bundle, release, refuse). The
// end-to-end over the real API, with the sandbox worker and the buyer's CLI, is the buyer's test
// (test/compute-cli*.e2e-spec.ts).

const BIN = fileURLToPath(new URL('../bin/exchange.js', import.meta.url));
const PASSPHRASE = 'merchant passphrase 2026';
const ROWS = 25;
const SPECS = AGENT_SPECS;
const v = Array.from({ length: ROWS }, (_, i) => (i * 29) % 101);

describe('exchange agent (CLI)', () => {
  let dir: string;
  let keyFile: string;
  let buyer: ResultKeyPair;
  let server: Server;
  let baseUrl: string;
  let waiting: Record<string, unknown>;
  let posted: { path: string; body: Record<string, unknown> }[];
  let listed = 0;
  let bundleOf: (id: string, recipe: string) => unknown;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dx-agent-cli-'));
    const keys = await generateKeys('bfv-8192-t50');
    keyFile = join(dir, 'merchant.hekeys');
    writeFileSync(keyFile, await sealSecretKey(keys, PASSPHRASE), { mode: 0o600 });
    buyer = await generateResultKeyPair();
    const dataset = await encryptColumns(SPECS, [v], [keys]);
    const evaluation = toStoredEvaluation(
      await evaluateJob(buildJob({ dataset, keys: [publicPart(keys)], recipe: 'sum', bindings: { x: 'v' } })),
    );
    const bundle = (id: string, recipe: string) => stubBundle({ id, evaluation, rows: ROWS, buyer, recipe });
    bundleOf = bundle;
    waiting = { 'c-sum': bundle('c-sum', 'sum'), 'c-mean': bundle('c-mean', 'mean') };
    server = createServer((req, res) => void route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (posted = []));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer merchant-token') return send(401, { message: 'no token' });
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/computations') {
      listed++;
      return send(200, { items: Object.keys(waiting).map((id) => ({ id, state: 'evaluated' })), next: null });
    }
    const m = /^\/v1\/computations\/([^/]+)\/(evaluation|release|refuse)$/.exec(url.pathname);
    if (!m) return send(404, { message: 'no route' });
    if (req.method === 'GET')
      return waiting[m[1]] ? send(200, waiting[m[1]]) : send(404, { message: 'not found' });
    let text = '';
    for await (const chunk of req) text += String(chunk);
    posted.push({ path: url.pathname, body: JSON.parse(text) as Record<string, unknown> });
    delete waiting[m[1]]; // released or refused: no longer evaluated
    send(200, { id: m[1], state: m[2] === 'release' ? 'released' : 'refused' });
  }

  const env = (journal: string) => ({
    EXCHANGE_API_URL: baseUrl,
    EXCHANGE_TOKEN: 'merchant-token',
    EXCHANGE_KEY_PASSPHRASE: PASSPHRASE,
    EXCHANGE_STATE_DIR: journal,
  });

  it('--once releases and refuses what waits, one line each with no value in it, and exits 0', async () => {
    const state = mkdtempSync(join(dir, 'state-'));
    const run = await runCli(['agent', '--once', '--keys', keyFile, '--json'], env(state));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.computationId, l.outcome, l.code])).toEqual([
      ['c-sum', 'released', undefined],
      ['c-mean', 'refused', 'recipe_not_in_contract'],
    ]);
    const release = posted.find((p) => p.path.endsWith('/c-sum/release'))!;
    const result = JSON.parse(
      new TextDecoder().decode(
        await openResult(buyer.privateKey, release.body.envelope, {
          computationId: 'c-sum',
          contractId: 'k-1',
        }),
      ),
    ) as ReleasedResult;
    expect(Math.abs((result.output as number) - v.reduce((s, x) => s + x, 0))).toBeLessThan(2500);
    // What a line may say: when, which computation, what became of it, the code, ε and a reason; never a value.
    for (const line of lines) {
      expect(
        Object.keys(line).every((k) =>
          ['at', 'computationId', 'outcome', 'code', 'epsilonSpent', 'message'].includes(k),
        ),
      ).toBe(true);
    }
    expect(lines[0].epsilonSpent).toBe('1.000');
    expect(lines[1].message).not.toContain(result.aggregates.sx);
    expect(existsSync(join(state, 'agent-journal.json'))).toBe(true);
    expect(existsSync(join(state, 'agent-journal.json.lock'))).toBe(false);
  });

  it('refuses to start with a wrong passphrase, saying so and changing nothing', async () => {
    waiting['c-later'] = bundleOf('c-later', 'sum');
    const polls = listed;
    const run = await runCli(['agent', '--once', '--keys', keyFile], {
      ...env(mkdtempSync(join(dir, 'state-'))),
      EXCHANGE_KEY_PASSPHRASE: 'not the passphrase at all',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/wrong passphrase/);
    expect(posted).toEqual([]);
    expect(listed).toBe(polls);
  });

  it('as a service, finishes and exits 0 on SIGTERM, releasing its journal lock', async () => {
    const state = mkdtempSync(join(dir, 'state-'));
    const child = spawn(process.execPath, [BIN, 'agent', '--keys', keyFile, '--interval', '0.2'], {
      env: { ...process.env, NODE_ENV: 'test', CHAIN_RPC_URL: 'off', ...env(state) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    // Running: it holds the journal's lock and has polled the exchange at least twice.
    const before = listed;
    while (listed < before + 2) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(state, 'agent-journal.json.lock'))).toBe(true);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(join(state, 'agent-journal.json.lock'))).toBe(false);
  });
});
