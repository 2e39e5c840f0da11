import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_STORE, FileBlobStore, type BlobStore } from '@app/blobs';
import { fromStoredEvaluation, type StoredEvaluation } from '@app/compute/core';
import { decryptAggregates, openSecretKey, type SecretKeyMaterial } from '@app/he';
import { bucketOf, fixedPointFactor, type AggregateTerm, type ColumnSpec } from '@app/he/evaluation';
import { getRecipe } from '../sandbox/index.js';
import { envelopeSha256 } from '../apps/cli/src/commands/compute-request.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { countRows, ledgerActions, sqlOf } from './support/db-probe.js';
import { listingBody, publishedListing } from './support/listing-fixtures.js';
import { availableOf, balances, deposit, expectSound, fund, holdsOf } from './support/money-fixtures.js';
import { runCliAgainst } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * Issue 11 end to end, over HTTP and the CLI as each party runs it: the merchant encrypts a CSV on its side
 * (`exchange keys init`, `exchange dataset upload`); a buyer with an active, funded per-computation contract registers
 * a result key (`exchange keys init --for results`) and runs every recipe of the catalogue (`exchange compute run`);
 * the sandbox evaluates on ciphertext inside the API (in-process queue); the data holder's agent
 * (`exchange agent --once`) re-checks, decrypts, noises and releases sealed to the buyer; the buyer opens each result
 * (`exchange compute result`). Each result is checked against the plaintext twice: the HE part exactly (the test,
 * playing the merchant, decrypts the stored evaluation: BFV equal, CKKS within 1e-6 relative) and the release within
 * the noise the release states (ε, resolution and the recipe's sensitivity, at a quantile that cannot flake).
 * One unit is charged per release and nothing for a repeat or a refusal; the ledger verifies.
 */
let t: TestApp;
let dir: string;
let operator: Party['client'];
let regulator: Party['client'];
let merchant: Party;
let buyer: Party;
let otherBuyer: Party;
let bfvAsset: string;
let ckksAsset: string;
let contractId: string;
let bfvDataset: string;
let ckksDataset: string;
let bfvKeys: SecretKeyMaterial;
let ckksKeys: SecretKeyMaterial;
let worker: ChildProcess | undefined;
let workerLog = '';

const PASSPHRASE = 'merchant and buyer passphrase 口令';
const ROWS = 240;
const PRICE_FEN = 1000n;
const UNITS = 16;
const EDGES = [0, 250, 500, 750, 1000];

/** Encrypted columns of the BFV asset and of the CKKS asset, as the merchant declares them in --spec. */
const BFV_SPEC = {
  vehicle_count: { kind: 'integer', min: 0, max: 1000, buckets: EDGES },
  mean_speed: { kind: 'decimal', decimals: 1, min: 0, max: 120 },
  occupancy: { kind: 'integer', min: 0, max: 100 },
};
const CKKS_SPEC = { load_mw: { kind: 'real', min: 0, max: 500 } };

const column = (name: string, type: string, isPublic = false) => ({
  name,
  type,
  unit: null,
  personalInformation: false,
  tradeSecret: false,
  public: isPublic,
});

type Table = Record<string, number[]>;
let bfvTable: Table;
let ckksTable: Table;

function makeTable(seed: number): { bfv: Table; ckks: Table } {
  const r = seededRandom(seed);
  const hour = Array.from({ length: ROWS }, (_, i) => i % 24);
  const vehicle_count = hour.map(() => Math.floor(r() * 1001));
  const occupancy = vehicle_count.map((v) => Math.min(100, Math.round(v / 10 + r() * 8)));
  const mean_speed = vehicle_count.map((v) => Math.round((110 - v / 10 + r() * 9) * 10) / 10);
  const load_mw = hour.map(() => Math.round(r() * 500_000) / 1000);
  return { bfv: { hour, vehicle_count, mean_speed, occupancy }, ckks: { hour, load_mw } };
}

const csv = (table: Table): string => {
  const names = Object.keys(table);
  const lines = [names.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(names.map((n) => String(table[n][i])).join(','));
  return `${lines.join('\n')}\n`;
};

const cli = (party: Party, args: string[], env: Record<string, string> = {}) =>
  runCliAgainst(t, party.client.token!, args, {
    EXCHANGE_KEY_PASSPHRASE: PASSPHRASE,
    EXCHANGE_COMPUTE_POLL_MS: '100',
    EXCHANGE_STATE_DIR: dir, // the agent's journal
    ...env,
  });

/**
 * The data holder's agent, once, with both HE key sets. LEAD: the agent's flags are the agent helper's; this is the
 * one place that names them.
 */
const agentOnce = () =>
  cli(merchant, [
    'agent',
    '--once',
    '--keys',
    `${join(dir, 'merchant-bfv.hekeys')},${join(dir, 'merchant-ckks.hekeys')}`,
    '--journal',
    join(dir, 'agent-journal.json'),
  ]);

async function ok(party: Party, args: string[]): Promise<any> {
  const run = await cli(party, args);
  if (run.code !== 0) throw new Error(`exchange ${args.join(' ')}: ${run.code}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function upload(
  asset: string,
  table: Table,
  keys: string,
  spec: unknown,
  name: string,
): Promise<string> {
  await writeFile(join(dir, `${name}.csv`), csv(table));
  await writeFile(join(dir, `${name}.spec.json`), JSON.stringify(spec));
  const printed = await ok(merchant, [
    'dataset',
    'upload',
    '--asset',
    asset,
    '--csv',
    join(dir, `${name}.csv`),
    '--keys',
    keys,
    '--spec',
    join(dir, `${name}.spec.json`),
  ]);
  expect(printed).toMatchObject({ state: 'ready', rowCount: ROWS });
  return printed.datasetId as string;
}

/** Polls until the computation leaves queued/running (jobs run inside the API without Redis). */
async function settled(id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const reply = await buyer.client.get(`/v1/computations/${id}`);
    expect(reply.status).toBe(200);
    if (reply.body.state !== 'queued' && reply.body.state !== 'running') return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `computation ${id} did not leave the queue${worker ? `; the worker said: ${workerLog}` : ''}`,
  );
}

const contractRow = async () =>
  (await sqlOf(t)<Record<string, unknown>>('select * from "contracts" where "id" = ?', [contractId]))[0];

/** The plaintext value of each aggregate of a plan, in the units the sandbox computes in (fixed-point integers). */
function plaintextAggregates(
  terms: Readonly<Record<string, AggregateTerm>>,
  specs: Readonly<Record<string, ColumnSpec>>,
  table: Table,
  rows: number[],
): Record<string, number> {
  const encoded = (name: string, i: number): number => {
    const [base, bucket] = name.split('#');
    if (bucket !== undefined)
      return bucketOf(specs[base].buckets!, table[base][i]) === Number(bucket) ? 1 : 0;
    return specs[name].kind === 'real'
      ? table[name][i]
      : Math.round(table[name][i] * fixedPointFactor(specs[name]));
  };
  const out: Record<string, number> = {};
  for (const [name, term] of Object.entries(terms)) {
    let s = 0;
    for (const i of rows) {
      if (term.op === 'sum') s += encoded(term.column, i);
      else if (term.op === 'product') s += encoded(term.left, i) * encoded(term.right, i);
      else s += term.weights[i] * encoded(term.column, i);
    }
    out[name] = s;
  }
  return out;
}

/** One row's largest contribution to each aggregate: the L1 sensitivity of the released vector (count: 1). */
function sensitivity(
  terms: Readonly<Record<string, AggregateTerm>>,
  specs: Readonly<Record<string, ColumnSpec>>,
): number {
  const mag = (name: string) => {
    const s = specs[name] ?? { kind: 'integer', min: 0, max: 1 };
    return Math.max(Math.abs(s.min), Math.abs(s.max)) * fixedPointFactor(s);
  };
  const entries = Object.values(terms);
  if (entries.length === 0) return 1;
  return entries.reduce((sum, term) => {
    if (term.op === 'sum') return sum + mag(term.column);
    if (term.op === 'product') return sum + mag(term.left) * mag(term.right);
    let w = 0;
    for (let i = 0; i < term.weights.length; i++) w = Math.max(w, Math.abs(term.weights[i]));
    return sum + w * mag(term.column);
  }, 0);
}

/**
 * Discrete Laplace noise of scale Δ/ε on each released coordinate: P(|X| > x) ≤ 2·exp(−x·ε/Δ). At x = ln(2·10^12)·Δ/ε
 * a coordinate lies outside with probability below 10^-12 (the fine grid of docs/output-policy.md widens the scale by at most 0.1 %), so a correct release never fails this; rounding to the
 * resolution adds at most one resolution step each way.
 */
const noiseBound = (delta: number, epsilon: number, resolution: number): number =>
  (Math.log(2e12) * 1.001 * Math.max(delta, resolution)) / epsilon + 2 * resolution;

interface Case {
  recipe: string;
  args: string[];
  table: () => Table;
  keys: () => SecretKeyMaterial;
  /** CKKS: compare within relative error instead of exactly. */
  approximate?: boolean;
  rows?: (table: Table) => number[];
}

/** A recipe's answer as JSON carries it: typed arrays as plain arrays. */
const plain = (output: unknown): unknown => {
  if (ArrayBuffer.isView(output)) return Array.from(output as unknown as ArrayLike<number>);
  if (typeof output === 'number' || Array.isArray(output)) return output;
  return Object.fromEntries(Object.entries(output as object).map(([k, v]) => [k, plain(v)]));
};

const weights = Array.from({ length: ROWS }, (_, i) => ((i * 7) % 11) - 5);
const all = () => Array.from({ length: ROWS }, (_, i) => i);

const CASES: Case[] = [
  { recipe: 'count', args: ['--column', 'x=vehicle_count'], table: () => bfvTable, keys: () => bfvKeys },
  { recipe: 'sum', args: ['--column', 'x=vehicle_count'], table: () => bfvTable, keys: () => bfvKeys },
  { recipe: 'mean', args: ['--column', 'x=mean_speed'], table: () => bfvTable, keys: () => bfvKeys },
  { recipe: 'variance', args: ['--column', 'x=occupancy'], table: () => bfvTable, keys: () => bfvKeys },
  {
    recipe: 'stddev',
    args: ['--column', 'x=mean_speed', '--params', '{"sample":true}'],
    table: () => bfvTable,
    keys: () => bfvKeys,
  },
  {
    recipe: 'covariance',
    args: ['--column', 'x=vehicle_count', '--column', 'y=mean_speed'],
    table: () => bfvTable,
    keys: () => bfvKeys,
  },
  {
    recipe: 'correlation',
    args: ['--column', 'x=vehicle_count', '--column', 'y=occupancy'],
    table: () => bfvTable,
    keys: () => bfvKeys,
  },
  {
    recipe: 'dot-product',
    args: ['--column', 'x=occupancy', '--weights', 'WEIGHTS'],
    table: () => bfvTable,
    keys: () => bfvKeys,
  },
  { recipe: 'histogram', args: ['--column', 'x=vehicle_count'], table: () => bfvTable, keys: () => bfvKeys },
  {
    recipe: 'linear-regression',
    args: ['--column', 'features=vehicle_count,occupancy', '--column', 'y=mean_speed'],
    table: () => bfvTable,
    keys: () => bfvKeys,
  },
  // A filter on a public column: the rows of the first half of the day (well over k apart from the full set).
  {
    recipe: 'sum',
    args: ['--column', 'x=occupancy', '--filter', 'hour lt 12'],
    table: () => bfvTable,
    keys: () => bfvKeys,
    rows: (table) => all().filter((i) => table.hour[i] < 12),
  },
  // CKKS: sums and means of a real column, on the listing's second asset.
  {
    recipe: 'sum',
    args: ['--column', 'x=load_mw', '--dataset', 'CKKS'],
    table: () => ckksTable,
    keys: () => ckksKeys,
    approximate: true,
  },
  {
    recipe: 'mean',
    args: ['--column', 'x=load_mw', '--dataset', 'CKKS'],
    table: () => ckksTable,
    keys: () => ckksKeys,
    approximate: true,
  },
];

/**
 * With REDIS_URL the API only enqueues: a sandbox worker process (`npm run start:worker`'s entry) on the test's
 * database and Redis prefix consumes the queue, as deployed. Without it the API runs the jobs itself.
 */
function startWorker(): void {
  if (!t.config.redis) return;
  worker = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'apps/sandbox-worker/src/main.ts'],
    {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        CHAIN_RPC_URL: 'off',
        ...t.database.env,
        REDIS_URL: t.config.redis.url,
        REDIS_PREFIX: t.config.redis.prefix,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  worker.stderr!.on('data', (d) => (workerLog += String(d)));
}

beforeAll(async () => {
  t = await startTestApp();
  startWorker();
  const world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  otherBuyer = await world.party(['buyer'], operator);
  dir = await mkdtemp(join(tmpdir(), 'compute-cli-'));
  await writeFile(join(dir, 'weights.txt'), `# one weight per row\n${weights.join('\n')}\n`);

  const tables = makeTable(11);
  bfvTable = tables.bfv;
  ckksTable = tables.ckks;
  bfvAsset = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        columns: [
          column('hour', 'integer', true),
          column('vehicle_count', 'integer'),
          column('mean_speed', 'decimal'),
          column('occupancy', 'integer'),
        ],
        rowCount: ROWS,
      }),
    )
  ).id;
  ckksAsset = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        title: '海东市变电站负荷（演示）',
        columns: [column('hour', 'integer', true), column('load_mw', 'decimal')],
        rowCount: ROWS,
      }),
    )
  ).id;
  const recipes = [...new Set(CASES.map((c) => c.recipe))];
  const columns = ['vehicle_count', 'mean_speed', 'occupancy', 'load_mw'];
  const listingId = await publishedListing(
    merchant.client,
    operator,
    listingBody([bfvAsset, ckksAsset], {
      recipes: recipes.map((recipe) => ({ recipe, columns })),
      minRows: 50,
    }),
  );
  // A signed per-computation contract (signatures are the signing tests' subject), funded over HTTP: active, escrow
  // held as one hold per unit.
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms: computeTerms({ recipes, columns, priceFen: PRICE_FEN, computations: UNITS, periodDays: 30 }),
    state: 'signed',
    epsilonBudgetMilli: 30_000,
  });
  contractId = contract.id;
  expect((await deposit(operator, buyer.organisationId, String(PRICE_FEN * BigInt(UNITS)))).status).toBe(201);
  const funded = await fund(buyer.client, contractId, randomUUID());
  expect([funded.status, funded.body.state]).toEqual([200, 'active']);
}, 300_000);
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

describe('the merchant encrypts on its side', () => {
  it('makes a BFV and a CKKS key set and uploads each asset as ciphertext', async () => {
    const bfvFile = join(dir, 'merchant-bfv.hekeys');
    const ckksFile = join(dir, 'merchant-ckks.hekeys');
    await ok(merchant, ['keys', 'init', '--out', bfvFile]);
    await ok(merchant, ['keys', 'init', '--out', ckksFile, '--param-set', 'ckks-8192-d1']);
    bfvKeys = await openSecretKey(await readFile(bfvFile), PASSPHRASE);
    ckksKeys = await openSecretKey(await readFile(ckksFile), PASSPHRASE);
    bfvDataset = await upload(bfvAsset, bfvTable, bfvFile, BFV_SPEC, 'bfv');
    ckksDataset = await upload(ckksAsset, ckksTable, ckksFile, CKKS_SPEC, 'ckks');
  }, 300_000);
});

describe('the buyer computes without seeing', () => {
  const released: { id: string; c: Case }[] = [];
  const bundles = new Map<string, any>();

  it('lists the recipe catalogue without a token, as the API serves it, each recipe a --recipe it can run', async () => {
    const run = await runCliAgainst(t, '', ['compute', 'recipes']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const listed = JSON.parse(run.stdout) as { recipes: { id: string; inputs: { role: string }[] }[] };
    expect(listed).toEqual((await buyer.client.get('/v1/recipes')).body);
    // Every recipe this suite runs is in it, with the roles its --column flags bind.
    for (const c of CASES) {
      const bound = c.args.flatMap((arg, i) => (c.args[i - 1] === '--column' ? [arg.split('=')[0]] : []));
      const recipe = listed.recipes.find((r) => r.id === c.recipe);
      expect([c.recipe, recipe?.inputs.map((i) => i.role).sort()]).toEqual([c.recipe, bound.sort()]);
    }
  });

  it('is refused before it has a result key (no_result_key), nothing written', async () => {
    const before = await countRows(t, 'computations');
    const run = await cli(buyer, [
      'compute',
      'run',
      '--contract',
      contractId,
      '--recipe',
      'sum',
      '--column',
      'x=vehicle_count',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no_result_key: register a result key first');
    expect(await countRows(t, 'computations')).toBe(before);
  });

  it('runs every recipe of the catalogue; each is evaluated and waits for the data holder', async () => {
    await ok(buyer, ['keys', 'init', '--for', 'results', '--out', join(dir, 'buyer-result.key')]);
    for (const c of CASES) {
      const args = c.args.map((a) =>
        a === 'WEIGHTS' ? join(dir, 'weights.txt') : a === 'CKKS' ? ckksDataset : a,
      );
      const dataset = args.includes('--dataset') ? [] : ['--dataset', bfvDataset];
      const run = await cli(buyer, [
        'compute',
        'run',
        '--contract',
        contractId,
        '--recipe',
        c.recipe,
        ...args,
        ...dataset,
      ]);
      expect([c.recipe, run.code, run.stderr]).toEqual([c.recipe, 0, '']);
      const printed = JSON.parse(run.stdout) as { id: string; state: string };
      expect(printed.state).toBe('queued');
      // Without --wait: an evaluated computation is not final (it waits for the agent, which runs below).
      const state = await settled(printed.id);
      expect([c.recipe, state.state, state.reasonCode]).toEqual([c.recipe, 'evaluated', null]);
      released.push({ id: printed.id, c });
    }
    expect(new Set(released.map((r) => r.c.recipe))).toEqual(new Set(CASES.map((c) => c.recipe)));
    // Nothing is charged before a release.
    expect(await contractRow()).toMatchObject({ computations_used: 0, epsilon_spent_milli: 0 });
  }, 600_000);

  it("decrypts each stored evaluation, as the merchant, to the plaintext's aggregates (BFV exactly, CKKS 1e-6)", async () => {
    for (const { id, c } of released) {
      const bundle = await merchant.client.get(`/v1/computations/${id}/evaluation`);
      expect(bundle.status).toBe(200);
      bundles.set(id, bundle.body); // served while evaluated only: kept for the release's checks below
      const evaluation = bundle.body.evaluation as StoredEvaluation;
      const values = await decryptAggregates(fromStoredEvaluation(evaluation).outputs, [c.keys()]);
      const recipe = getRecipe(c.recipe);
      const table = c.table();
      const rows = c.rows ? c.rows(table) : all();
      expect(bundle.body.rows).toBe(ROWS);
      const roles = Object.fromEntries(
        Object.entries(bundle.body.bindings as Record<string, string | string[]>).map(([k, v]) => [
          k,
          ([] as string[]).concat(v),
        ]),
      );
      const params = recipe.parseParams(bundle.body.params ?? undefined, { rows: ROWS });
      const plan = recipe.plan({ roles, specs: bundle.body.specs, n: rows.length, rows: ROWS }, params);
      const want = plaintextAggregates(plan.terms, bundle.body.specs, table, rows);
      expect(Object.keys(values).sort()).toEqual(Object.keys(want).sort());
      for (const [name, value] of Object.entries(want)) {
        if (c.approximate) expect(Math.abs(values[name] - value)).toBeLessThanOrEqual(1e-6 * Math.abs(value));
        else expect([c.recipe, name, values[name]]).toEqual([c.recipe, name, value]);
      }
    }
  }, 300_000);

  it("releases through the data holder's agent; the buyer opens each result, noised within the stated bound, charged once each", async () => {
    const before = await balances(operator);
    const agent = await agentOnce();
    expect([agent.code, agent.stderr]).toEqual([0, expect.any(String)]);
    for (const { id, c } of released) {
      const shown = await ok(buyer, ['compute', 'show', id]);
      expect(shown).toMatchObject({ id, state: 'released', reasonCode: null, epsilonSpent: '1.000' });
      expect(shown.resultHash).toMatch(/^[0-9a-f]{64}$/);
      const sealed = await buyer.client.get(`/v1/computations/${id}/result`);
      expect(sealed.status).toBe(200);
      expect(envelopeSha256(sealed.body.envelope)).toBe(shown.resultHash);

      const opened = await ok(buyer, ['compute', 'result', id, '--key', join(dir, 'buyer-result.key')]);
      const table = c.table();
      const rows = c.rows ? c.rows(table) : all();
      expect(opened).toMatchObject({
        computationId: id,
        recipe: c.recipe,
        epsilonSpent: '1.000',
        rowsAggregated: rows.length,
      });
      expect(shown.rowsAggregated).toBe(rows.length);

      // The answer is the recipe's own finishing step on the released (noised) aggregates: post-processing only.
      const bundle = bundles.get(id);
      const evaluation = bundle.evaluation as StoredEvaluation;
      const recipe = getRecipe(c.recipe);
      const params = recipe.parseParams(evaluation.params, { rows: ROWS });
      const noised = Object.fromEntries(
        Object.entries(opened.aggregates as Record<string, string>).map(([k, v]) => [k, Number(v)]),
      );
      // (`count` has no encrypted aggregate: it releases n noised, and answers that.)
      const noTerms = Object.keys(evaluation.outputs).length === 0;
      const clear = noTerms ? { ...evaluation.clear, n: noised.n } : evaluation.clear;
      // Compared as JSON carries it: noise can take an answer out of range (a non-finite value prints as null).
      expect(opened.output).toEqual(
        JSON.parse(JSON.stringify(plain(recipe.finish(noTerms ? {} : noised, clear, params)))),
      );

      // Each released aggregate lies within the noise the release states of the plaintext aggregate.
      const roles = Object.fromEntries(
        Object.entries(bundle.bindings as Record<string, string | string[]>).map(([k, v]) => [
          k,
          ([] as string[]).concat(v),
        ]),
      );
      const plan = recipe.plan({ roles, specs: bundle.specs, n: rows.length, rows: ROWS }, params);
      const truth = { ...evaluation.clear, ...plaintextAggregates(plan.terms, bundle.specs, table, rows) };
      const bound = noiseBound(
        sensitivity(plan.terms, bundle.specs),
        Number(opened.epsilonSpent),
        Number(opened.resolution),
      );
      for (const [name, value] of Object.entries(noised)) {
        expect(name in truth).toBe(true);
        const error = Math.abs(value - truth[name]);
        expect([c.recipe, name, error <= bound * (c.approximate ? 1 + 1e-6 : 1)]).toEqual([
          c.recipe,
          name,
          true,
        ]);
      }
      expect(await ledgerActions(t, id)).toEqual([
        'computation.requested',
        'computation.started',
        'computation.evaluated',
        'computation.released',
      ]);
    }
    // One unit per release: computationsUsed, the unit holds, the merchant's receivable; ε spent per release.
    const n = released.length;
    expect(await contractRow()).toMatchObject({ computations_used: n, epsilon_spent_milli: 1000 * n });
    const holds = await holdsOf(t, contractId);
    expect(holds.filter((h) => h.state === 'released')).toHaveLength(n);
    const after = await balances(operator);
    const earned = (acc: string) => availableOf(after, acc) - availableOf(before, acc);
    expect(earned('platform_fee') + earned(`receivable:${merchant.organisationId}`)).toBe(
      PRICE_FEN * BigInt(n),
    );
    await expectSound(operator);

    // The agent again finds nothing to do and charges nothing more.
    const again = await agentOnce();
    expect(again.code).toBe(0);
    expect(await contractRow()).toMatchObject({ computations_used: n });
  }, 600_000);

  it('answers a repeat with the earlier release: nothing queued, spent or charged', async () => {
    const first = released[1];
    const before = await contractRow();
    const count = await countRows(t, 'computations');
    const run = await cli(buyer, [
      'compute',
      'run',
      '--contract',
      contractId,
      '--recipe',
      'sum',
      '--column',
      'x=vehicle_count',
      '--dataset',
      bfvDataset,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: first.id, state: 'released' });
    expect(run.stderr).toContain('nothing queued, spent or charged');
    expect(await countRows(t, 'computations')).toBe(count);
    expect(await contractRow()).toEqual(before);
    // compute list pages what the buyer may see, by contract and state.
    const listed = await ok(buyer, [
      'compute',
      'list',
      '--contract',
      contractId,
      '--state',
      'released',
      '--limit',
      '100',
    ]);
    expect(listed.items.map((c: { id: string }) => c.id).sort()).toEqual(released.map((r) => r.id).sort());
    const bad = await cli(buyer, ['compute', 'list', '--state', 'done']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--state must be one of queued')]);
  });

  it('is 404 for another buyer: the computation, its result and its evaluation', async () => {
    const { id } = released[0];
    for (const path of [`/v1/computations/${id}`, `/v1/computations/${id}/result`])
      expect([path, (await otherBuyer.client.get(path)).status]).toEqual([path, 404]);
    // The evaluation is the merchant's route: a party without the merchant role is stopped before any look-up.
    expect([403, 404]).toContain((await otherBuyer.client.get(`/v1/computations/${id}/evaluation`)).status);
    expect([403, 404]).toContain((await buyer.client.get(`/v1/computations/${id}/evaluation`)).status);
    const run = await cli(otherBuyer, ['compute', 'result', id, '--key', join(dir, 'buyer-result.key')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('404');
    expect(run.stdout).toBe('');
  });

  it('detects a tampered ciphertext: failed with tampered_ciphertext, never computed on, nothing charged', async () => {
    // A fresh version of the BFV asset, then one of its stored ciphertexts overwritten on the blob store's medium.
    const version = await upload(bfvAsset, bfvTable, join(dir, 'merchant-bfv.hekeys'), BFV_SPEC, 'bfv-2');
    const manifest = (await merchant.client.get(`/v1/datasets/${version}`)).body.manifest as {
      chunks: { kind: string; column?: string; sha256: string }[];
    };
    const target = manifest.chunks.find((ch) => ch.kind === 'ciphertext' && ch.column === 'vehicle_count')!;
    await tamper(t.app.get<BlobStore>(BLOB_STORE), target.sha256);
    const before = await contractRow();
    const money = await balances(operator);
    const run = await cli(buyer, [
      'compute',
      'run',
      '--contract',
      contractId,
      '--recipe',
      'mean',
      '--column',
      'x=vehicle_count',
      '--dataset',
      version,
      '--wait',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'failed', reasonCode: 'tampered_ciphertext' });
    expect(run.stderr).toContain('tampered_ciphertext: a stored ciphertext does not match its hash');
    const id = JSON.parse(run.stdout).id as string;
    const actions = await ledgerActions(t, id);
    expect(actions).toContain('computation.failed');
    expect(actions).not.toContain('computation.evaluated');
    expect(await merchant.client.get(`/v1/computations/${id}/evaluation`)).toMatchObject({ status: 409 });
    const agent = await agentOnce();
    expect(agent.code).toBe(0);
    expect(await contractRow()).toEqual(before);
    expect(await balances(operator)).toEqual(money);
  }, 300_000);

  it('the ledger verifies', async () => {
    expect((await regulator.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });
});

/** Flips a byte of a stored blob on the medium itself, under the store (files, or the database's chunk rows). */
async function tamper(store: BlobStore, sha256: string): Promise<void> {
  if (store instanceof FileBlobStore) {
    const path = store.pathOf(sha256);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await writeFile(path, bytes);
    return;
  }
  const sql = sqlOf(t);
  const [row] = await sql<{ upload_id: string; bytes: Uint8Array }>(
    `select c."upload_id", c."bytes" from "blob_chunks" c join "blobs" b on b."upload_id" = c."upload_id"
     where b."sha256" = ? and c."seq" = 0`,
    [sha256],
  );
  const bytes = Buffer.from(row.bytes);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  await sql('update "blob_chunks" set "bytes" = ? where "upload_id" = ? and "seq" = 0', [
    bytes,
    row.upload_id,
  ]);
}
