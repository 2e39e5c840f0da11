import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { createSha256DrbgRandomSource } from '@app/compute';
import { toStoredEvaluation, type ReleasedResult, type StoredEvaluation } from '@app/compute/core';
import { encryptColumns, generateKeys, publicPart, type ColumnSpec, type SecretKeyMaterial } from '@app/he';
import {
  generateResultKeyPair,
  openResult,
  resultKeyId,
  toBase64Url,
  type ResultEnvelope,
  type ResultKeyPair,
} from '@app/results/core';
import { contractTypedData, termsHash, termsToJson, type TermsJson } from '@app/trading/core';
import { buildJob, evaluateJob, releaseSensitivity, getRecipe } from '../../../../sandbox/index.js';
import type { EvaluationBundle } from './agent-bundle.js';
import {
  emptyJournal,
  journalSpentMilli,
  lockJournal,
  readJournal,
  withEntry,
  writeJournal,
  type AgentJournal,
  type JournalEntry,
} from './agent-journal.js';
import { decideComputation } from './agent-release.js';

// The agent's decision on real objects: a real HE key set, datasets encrypted with it, evaluations by the sandbox's
// `evaluateJob`, and a real buyer result key that opens what the agent sealed.

const ROWS = 40;
const SPECS: ColumnSpec[] = [
  { name: 'v', kind: 'integer', min: 0, max: 100 },
  { name: 'a', kind: 'decimal', decimals: 2, min: -500, max: 500 },
];
const SPEC_OF = Object.fromEntries(SPECS.map((s) => [s.name, s]));
const v = Array.from({ length: ROWS }, (_, i) => (i * 37) % 101);
const a = Array.from({ length: ROWS }, (_, i) => Math.round((((i * 53) % 997) - 498) * 100) / 100);
const TERMS: TermsJson = termsToJson({
  purpose: '交通规划：按路口评估早高峰拥堵',
  columns: ['a', 'v'],
  recipes: ['count', 'dot-product', 'mean', 'sum'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen: 150000n,
  periodDays: 30,
  computations: 3,
});
const CONTRACT_ID = 'contract-1';
const WEIGHTS = Array.from({ length: ROWS }, (_, i) => (i % 7) - 3); // integers in [-3, 3]

describe('exchange agent: re-check, decrypt, noise, finish, seal', () => {
  let keys: SecretKeyMaterial[];
  let buyer: ResultKeyPair;
  const evaluations: Record<string, StoredEvaluation> = {};

  beforeAll(async () => {
    keys = [await generateKeys('bfv-8192-t50')];
    buyer = await generateResultKeyPair();
    const dataset = await encryptColumns(SPECS, [v, a], keys);
    for (const [recipe, column] of [
      ['sum', 'v'],
      ['mean', 'a'],
      ['count', 'v'],
    ]) {
      const job = buildJob({ dataset, keys: keys.map(publicPart), recipe, bindings: { x: column } });
      evaluations[`${recipe}:${column}`] = toStoredEvaluation(await evaluateJob(job));
    }
    const weighted = buildJob({
      dataset,
      keys: keys.map(publicPart),
      recipe: 'dot-product',
      bindings: { x: 'v' },
      params: { weights: WEIGHTS },
    });
    evaluations['dot-product:v'] = toStoredEvaluation(await evaluateJob(weighted));
  }, 120_000);

  function bundle(
    recipe: string,
    column: string,
    over: Partial<Omit<EvaluationBundle, 'policy' | 'contract'>> & {
      policy?: Partial<EvaluationBundle['policy']>;
      contract?: Partial<EvaluationBundle['contract']>;
    } = {},
  ): EvaluationBundle {
    const { policy, contract, ...rest } = over;
    return {
      computation: { id: `c-${recipe}-${column}`, contractId: CONTRACT_ID, recipe, state: 'evaluated' },
      evaluation: evaluations[`${recipe}:${column}`],
      rows: ROWS,
      specs: SPEC_OF,
      bindings: { x: column },
      params: undefined,
      filters: [],
      rowSet: [[0, ROWS]],
      queryKey: `q-${recipe}-${column}`,
      policy: { minRows: 10, epsilonMilli: 1000, budgetMilli: 10_000, spentMilli: 0, history: [], ...policy },
      contract: {
        id: CONTRACT_ID,
        termsHash: termsHash({ ...TERMS, priceFen: BigInt(TERMS.priceFen) }),
        terms: TERMS,
        buyerOrganisationId: 'org-buyer',
        merchantOrganisationId: 'org-merchant',
        merchantSigner: null,
        merchantSignature: null,
        ...contract,
      },
      buyerResultKey: { publicKey: toBase64Url(buyer.publicKey), keyId: resultKeyId(buyer.publicKey) },
      ...rest,
    };
  }

  const decide = (b: EvaluationBundle, journal: AgentJournal = emptyJournal(), extra = {}) =>
    decideComputation(b, journal, {
      keys,
      random: createSha256DrbgRandomSource(`seed-${b.computation.id}`),
      ...extra,
    });

  async function opened(entry: JournalEntry, computationId: string): Promise<ReleasedResult> {
    if (entry.kind !== 'release')
      throw new Error(`expected a release, got ${entry.kind} ${entry.code}: ${entry.reason}`);
    const bytes = await openResult(buyer.privateKey, entry.envelope, {
      computationId,
      contractId: CONTRACT_ID,
    });
    return JSON.parse(new TextDecoder().decode(bytes)) as ReleasedResult;
  }

  const refusalOf = (entry: JournalEntry) => (entry.kind === 'refuse' ? entry.code : `released`);
  /** Without any key: a refusal decided this way was decided before anything could be decrypted. */
  const NO_KEYS = { keys: [] };

  it('releases a sum sealed to the buyer: the answer within the noise of Δ at ε 1, ε spent and rows said', async () => {
    const b = bundle('sum', 'v');
    const { entry } = await decide(b);
    const result = await opened(entry, b.computation.id);
    const truth = v.reduce((s, x) => s + x, 0);
    expect(result).toMatchObject({
      format: 'exchange-released-result/1',
      computationId: b.computation.id,
      contractId: CONTRACT_ID,
      recipe: 'sum',
      rowsAggregated: ROWS,
      epsilonSpent: '1.000',
      resolution: '1',
    });
    // Δ = 100 (one row of v in [0, 100]) at ε = 1: Laplace scale 100; 25 scales out has probability e^-25.
    expect(Math.abs((result.output as number) - truth)).toBeLessThan(2500);
    expect(result.output).toBe(Number(result.aggregates.sx));
    expect(entry).toMatchObject({ milliEpsilon: 1000, queryKey: b.queryKey, posted: false });
    if (entry.kind === 'release') expect(entry.noisedValues).toEqual([result.aggregates.sx]);
  });

  it('runs finish on the noised aggregates: a mean of a decimal column is Σ/100/n of the noised Σ', async () => {
    const b = bundle('mean', 'a');
    const result = await opened((await decide(b)).entry, b.computation.id);
    const delta = releaseSensitivity(
      getRecipe('mean').plan({ roles: { x: ['a'] }, specs: SPEC_OF, n: ROWS, rows: ROWS }, {}),
      SPEC_OF,
    ).delta;
    expect(delta).toBe(50_000); // 500.00 in hundredths
    expect(result.resolution).toBe('100');
    expect(result.output).toBeCloseTo(Number(result.aggregates.sx) / 100 / ROWS, 9);
    const truth = a.reduce((s, x) => s + x, 0) / ROWS;
    expect(Math.abs((result.output as number) - truth)).toBeLessThan((25 * delta) / 100 / ROWS);
  });

  it('sizes the noise of a dot product by its largest weight, and refuses an evaluation made with other weights', async () => {
    const b = bundle('dot-product', 'v', { params: { weights: WEIGHTS } });
    const result = await opened((await decide(b)).entry, b.computation.id);
    const truth = v.reduce((s, x, i) => s + x * WEIGHTS[i], 0);
    const recipe = getRecipe('dot-product');
    const plan = recipe.plan(
      { roles: { x: ['v'] }, specs: SPEC_OF, n: ROWS, rows: ROWS },
      recipe.parseParams({ weights: WEIGHTS }, { rows: ROWS }),
    );
    expect(releaseSensitivity(plan, SPEC_OF).delta).toBe(300); // largest |weight| 3 · largest |v| 100
    expect(result.resolution).toBe('1');
    expect(Math.abs((result.output as number) - truth)).toBeLessThan(25 * 300);
    const other = bundle('dot-product', 'v', { params: { weights: WEIGHTS.map((w) => w / 10) } });
    const { entry } = await decide(other, emptyJournal(), NO_KEYS);
    expect(refusalOf(entry)).toBe('agent_refused');
    expect(entry.kind === 'refuse' && entry.reason).toMatch(/other parameters/);
  });

  it('count releases a noised n, not the exact one in the clear numbers', async () => {
    const b = bundle('count', 'v');
    const result = await opened((await decide(b)).entry, b.computation.id);
    expect(Object.keys(result.aggregates)).toEqual(['n']);
    expect(result.resolution).toBe('0.01');
    expect(result.output).toBe(Number(result.aggregates.n));
    expect(Math.abs((result.output as number) - ROWS)).toBeLessThan(25);
  });

  it('refuses a recipe outside the terms and a column outside the terms, with their codes', async () => {
    const recipe = bundle('sum', 'v', {
      computation: { id: 'c-x', contractId: CONTRACT_ID, recipe: 'variance', state: 'evaluated' },
    });
    expect(refusalOf((await decide(recipe, emptyJournal(), NO_KEYS)).entry)).toBe('recipe_not_in_contract');
    const column = bundle('sum', 'v', { bindings: { x: 'salary' } });
    const { entry } = await decide(column, emptyJournal(), NO_KEYS);
    expect(refusalOf(entry)).toBe('column_not_in_contract');
    expect(entry.kind === 'refuse' && entry.reason).toMatch(/salary/);
  });

  it('refuses terms that do not hash to the contract terms hash (a platform that widened them)', async () => {
    const widened = { ...TERMS, columns: ['a', 'salary', 'v'] };
    const { entry } = await decide(
      bundle('sum', 'v', { bindings: { x: 'salary' }, contract: { terms: widened } }),
    );
    expect(refusalOf(entry)).toBe('agent_refused');
    expect(entry.kind === 'refuse' && entry.reason).toMatch(/hash/);
  });

  it("checks the merchant's EIP-712 signature on these terms: its own signer passes, another's is refused", async () => {
    const merchant = Wallet.createRandom();
    const facts = {
      id: CONTRACT_ID,
      negotiationId: 'n-1',
      version: 1,
      listingId: 'l-1',
      buyerOrganisationId: 'org-buyer',
      merchantOrganisationId: 'org-merchant',
      terms: TERMS,
      termsHash: termsHash({ ...TERMS, priceFen: BigInt(TERMS.priceFen) }),
      amountFen: 450000n,
      clauses: [],
    };
    const typed = contractTypedData(facts);
    const signature = await merchant.signTypedData(typed.domain, typed.types, typed.message);
    const signed = bundle('sum', 'v', {
      contract: { merchantSigner: merchant.address, merchantSignature: signature },
    });
    expect((await decide(signed, emptyJournal(), { typedDataMessage: typed.message })).entry.kind).toBe(
      'release',
    );

    const other = await Wallet.createRandom().signTypedData(typed.domain, typed.types, typed.message);
    const forged = bundle('sum', 'v', {
      contract: { merchantSigner: merchant.address, merchantSignature: other },
    });
    const { entry } = await decide(forged, emptyJournal(), { typedDataMessage: typed.message });
    expect(refusalOf(entry)).toBe('agent_refused');
    expect(entry.kind === 'refuse' && entry.reason).toMatch(/recovers to/);
    const missing = await decide(signed, emptyJournal());
    expect(refusalOf(missing.entry)).toBe('agent_refused');
  });

  it('refuses below k: the bundle k, and a k lowered by the platform below what the journal first saw', async () => {
    expect(
      refusalOf(
        (await decide(bundle('sum', 'v', { policy: { minRows: 41 } }), emptyJournal(), NO_KEYS)).entry,
      ),
    ).toBe('below_min_rows');
    const journal = withEntry(
      emptyJournal(),
      CONTRACT_ID,
      { budgetMilli: 10_000, minRows: 50 },
      refusedEntry('c-old'),
    );
    const lowered = bundle('sum', 'v', { policy: { minRows: 5 } });
    expect(refusalOf((await decide(lowered, journal, NO_KEYS)).entry)).toBe('below_min_rows');
  });

  it("refuses when the journal's spend exhausts the budget though the platform reports nothing spent", async () => {
    let journal = emptyJournal();
    for (let i = 0; i < 19; i++) {
      journal = withEntry(
        journal,
        CONTRACT_ID,
        { budgetMilli: 10_000, minRows: 10 },
        releasedEntry(`c-${i}`, `q-${i}`, [[0, ROWS]], 500),
      );
    }
    expect(journalSpentMilli(journal, CONTRACT_ID)).toBe(9500);
    const b = bundle('sum', 'v', { policy: { spentMilli: 0, history: [] } });
    const { entry } = await decide(b, journal, NO_KEYS);
    expect(refusalOf(entry)).toBe('budget_exhausted');
    // The same journal with room left releases: the refusal was the budget, not something else.
    const roomy = bundle('sum', 'v', { policy: { epsilonMilli: 500 } });
    expect((await decide(roomy, journal)).entry.kind).toBe('release');
  });

  it('refuses a budget raised by the platform above what the journal first saw', async () => {
    let journal = emptyJournal();
    journal = withEntry(
      journal,
      CONTRACT_ID,
      { budgetMilli: 1000, minRows: 10 },
      releasedEntry('c-0', 'q-0', [[0, ROWS]], 1000),
    );
    const raised = bundle('sum', 'v', { policy: { budgetMilli: 100_000, spentMilli: 1000 } });
    expect(refusalOf((await decide(raised, journal, NO_KEYS)).entry)).toBe('budget_exhausted');
  });

  it('refuses differencing against its journal and against the platform history alike', async () => {
    const close = releasedEntry('c-near', 'q-other', [[0, ROWS - 5]], 1000);
    const journal = withEntry(emptyJournal(), CONTRACT_ID, { budgetMilli: 10_000, minRows: 10 }, close);
    expect(refusalOf((await decide(bundle('sum', 'v'), journal, NO_KEYS)).entry)).toBe('differencing');
    const history = [
      {
        computationId: 'c-near',
        queryKey: 'q-other',
        rowSet: [[5, ROWS]] as [number, number][],
        epsilonMilli: 1000,
      },
    ];
    expect(
      refusalOf((await decide(bundle('sum', 'v', { policy: { history, spentMilli: 1000 } }))).entry),
    ).toBe('differencing');
  });

  it('a repeat re-seals the earlier noised values with repeatOf and ε 0; a repeat it has no values of is refused', async () => {
    const first = bundle('sum', 'v');
    const earlier = (await decide(first)).entry;
    const journal = withEntry(emptyJournal(), CONTRACT_ID, { budgetMilli: 10_000, minRows: 10 }, earlier);
    const again = bundle('sum', 'v', {
      computation: { id: 'c-again', contractId: CONTRACT_ID, recipe: 'sum', state: 'evaluated' },
    });
    const { entry } = await decide(again, journal);
    const result = await opened(entry, 'c-again');
    const before = await opened(earlier, first.computation.id);
    expect(result).toMatchObject({
      repeatOf: first.computation.id,
      epsilonSpent: '0.000',
      output: before.output,
    });
    expect(result.aggregates).toEqual(before.aggregates);
    expect(entry).toMatchObject({ milliEpsilon: 0, repeatOf: first.computation.id });

    const history = [
      { computationId: 'c-elsewhere', queryKey: again.queryKey, rowSet: again.rowSet, epsilonMilli: 1000 },
    ];
    const unknown = await decide(bundle('sum', 'v', { policy: { history, spentMilli: 1000 } }));
    expect(refusalOf(unknown.entry)).toBe('agent_refused');
  });

  it('returns a journalled decision unchanged: a retry posts the very same envelope', async () => {
    const b = bundle('sum', 'v');
    const first = await decide(b);
    const journal = withEntry(emptyJournal(), CONTRACT_ID, first.seen, first.entry);
    const retry = await decide(b, journal);
    expect(retry.replayed).toBe(true);
    expect(retry.entry).toEqual(first.entry);
  });

  it('refuses a tampered output ciphertext (its SHA-256) without decrypting it', async () => {
    const good = evaluations['sum:v'];
    const bytes = Buffer.from(good.outputs.sx.bytes, 'base64');
    bytes[100] ^= 1;
    const evaluation = { ...good, outputs: { sx: { ...good.outputs.sx, bytes: bytes.toString('base64') } } };
    const { entry } = await decide(bundle('sum', 'v', { evaluation }), emptyJournal(), NO_KEYS);
    expect(refusalOf(entry)).toBe('agent_refused');
    expect(entry.kind === 'refuse' && entry.reason).toMatch(/SHA-256/);
    // Without keys a release cannot be decided at all: the refusals above came before decryption.
    await expect(decide(bundle('sum', 'v'), emptyJournal(), NO_KEYS)).rejects.toThrow(/no key set/);
  });

  it('refuses an evaluation whose aggregated rows differ from the row set', async () => {
    const { entry } = await decide(bundle('sum', 'v', { rowSet: [[0, 30]] }));
    expect(refusalOf(entry)).toBe('agent_refused');
  });
});

describe('agent journal', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'dx-agent-'));

  it('round-trips atomically at mode 0600, refuses a foreign file, and is held by one agent at a time', () => {
    const path = join(dir(), 'state', 'agent-journal.json');
    expect(readJournal(path)).toEqual(emptyJournal());
    const journal = withEntry(
      emptyJournal(),
      'k',
      { budgetMilli: 2000, minRows: 12 },
      releasedEntry('c-1', 'q', [[0, 20]], 700),
    );
    writeJournal(path, journal);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readJournal(path)).toEqual(journal);
    expect(journalSpentMilli(readJournal(path), 'k')).toBe(700);
    // The first-seen budget and k stay when later entries come with other figures.
    const later = withEntry(journal, 'k', { budgetMilli: 99_000, minRows: 10 }, refusedEntry('c-2'));
    expect(later.contracts.k).toMatchObject({ budgetMilli: 2000, minRows: 12 });
    expect(later.contracts.k.entries).toHaveLength(2);

    const unlock = lockJournal(path);
    expect(() => lockJournal(path)).toThrow(/another agent/);
    unlock();
    lockJournal(path)();

    const foreign = join(dir(), 'foreign.json');
    writeFileSync(foreign, '{"format":"something-else","contracts":{}}');
    expect(() => readJournal(foreign)).toThrow(/not an exchange-agent-journal/);
    expect(readFileSync(foreign, 'utf8')).toContain('something-else');
  });
});

function releasedEntry(
  computationId: string,
  queryKey: string,
  rowSet: [number, number][],
  milliEpsilon: number,
): JournalEntry {
  return {
    kind: 'release',
    computationId,
    queryKey,
    rowSet,
    resolution: '1',
    noisedValues: ['1'],
    milliEpsilon,
    envelope: {} as ResultEnvelope,
    posted: true,
    at: '2026-12-01T00:00:00.000Z',
  };
}

function refusedEntry(computationId: string): JournalEntry {
  return {
    kind: 'refuse',
    computationId,
    code: 'below_min_rows',
    reason: 'r',
    posted: true,
    at: '2026-12-01T00:00:00.000Z',
  };
}
