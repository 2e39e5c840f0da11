import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import canonicalize from 'canonicalize';
import type { ComputationFilter } from '@app/compute/core';

/**
 * The buyer's side of a computation without the command line around it: parsing what the user typed into the body
 * of `POST /v1/computations`, the words for each refusal code, and the check that a fetched envelope is the one the
 * release recorded. Pure, so the e2e test and the demo use the same code as the command.
 */

const OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] as const;
const OP_WORDS: Record<string, ComputationFilter['op']> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  ...Object.fromEntries(OPS.map((op) => [op, op])),
};

/** `--column role=col[,col…]` (repeatable) → bindings; a role given twice or an empty column is an error. */
export function parseBindings(values: readonly string[]): Record<string, string | string[]> {
  const bindings: Record<string, string | string[]> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const role = value.slice(0, eq).trim();
    const columns = value
      .slice(eq + 1)
      .split(',')
      .map((c) => c.trim());
    if (eq <= 0 || columns.some((c) => c === ''))
      throw new Error(`--column ${JSON.stringify(value)}: write role=column or role=column,column,…`);
    if (role in bindings) throw new Error(`--column: the role ${role} is bound twice`);
    bindings[role] = columns.length === 1 ? columns[0] : columns;
  }
  if (Object.keys(bindings).length === 0) throw new Error('bind at least one column: --column role=column');
  return bindings;
}

const number = (text: string, what: string): number => {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n))
    throw new Error(`${what}: ${JSON.stringify(text)} is not a number`);
  return n;
};

/**
 * `--filter 'col op value'`: op one of = == != < <= > >= or eq ne lt le gt ge in; `in` takes a comma list
 * (`region in 1,2,3`). Filters read only the dataset's public columns (the exchange checks).
 */
export function parseFilter(text: string): ComputationFilter {
  const match = /^\s*([A-Za-z_][\w.-]*)\s*(==|!=|<=|>=|=|<|>|\b(?:eq|ne|lt|le|gt|ge|in)\b)\s*(.+?)\s*$/.exec(
    text,
  );
  if (!match) throw new Error(`--filter ${JSON.stringify(text)}: write 'column op value', e.g. 'hour ge 7'`);
  const [, column, word, rest] = match;
  const op = OP_WORDS[word];
  const value =
    op === 'in'
      ? rest.split(',').map((v) => number(v, `--filter ${column} in`))
      : number(rest, `--filter ${column}`);
  return { column, op, value };
}

/** `--weights <file>`: a JSON array of numbers, or one number per line (blank lines and `#` comments skipped). */
export async function readWeights(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`cannot read --weights ${file}: ${error.message}`, { cause: error });
  });
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`--weights ${file}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
      throw new Error(`--weights ${file}: the JSON must be an array of numbers`);
    return parsed as number[];
  }
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.replace(/#.*/, '').trim(), i }))
    .filter(({ line }) => line !== '')
    .map(({ line, i }) => number(line, `--weights ${file} line ${i + 1}`));
}

export interface RunOptions {
  contract: string;
  recipe: string;
  column: string[];
  weights?: string;
  params?: string;
  filter?: string[];
  dataset?: string;
}

/** The body of `POST /v1/computations` for what the user typed; `--weights` becomes `params.weights`. */
export async function computationRequest(options: RunOptions): Promise<Record<string, unknown>> {
  let params: Record<string, unknown> | undefined;
  if (options.params !== undefined) {
    try {
      params = JSON.parse(options.params) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`--params: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw new Error('--params must be a JSON object, e.g. {"weights": [1, 2]}');
  }
  if (options.weights !== undefined) params = { ...params, weights: await readWeights(options.weights) };
  return {
    contractId: options.contract,
    recipe: options.recipe,
    bindings: parseBindings(options.column),
    ...(params !== undefined ? { params } : {}),
    ...(options.filter?.length ? { filters: options.filter.map(parseFilter) } : {}),
    ...(options.dataset !== undefined ? { datasetId: options.dataset } : {}),
  };
}

/** Each stable code in words a buyer acts on (the exchange's own message is printed after it). */
export const CODE_WORDS: Record<string, string> = {
  recipe_not_in_contract: "the contract's terms do not allow this recipe",
  column_not_in_contract:
    "a bound column is not among the contract's columns, or is not encrypted in the dataset",
  unknown_recipe: 'no recipe of that name in the catalogue (see docs/compute.md)',
  bad_bindings: "the --column roles do not fit the recipe's inputs",
  bad_params: "the parameters do not fit the recipe (e.g. the weights' count differs from the rows')",
  bad_filter: 'a filter names a column that is not public in the dataset, or its value does not fit',
  contract_not_active: 'the contract is not active (not yet signed and funded, suspended or terminated)',
  contract_period_ended: "the contract's period has ended",
  no_computations_left: 'every computation the contract paid for is used; negotiate a new contract',
  no_dataset: 'the listing has no ready dataset to compute on (the merchant has not uploaded one)',
  below_min_rows: 'the filters select fewer rows than the listing allows a result over (k)',
  differencing:
    'the rows differ from an earlier result of this contract by fewer than k; together they would reveal rows',
  budget_exhausted: "the contract's privacy budget (ε) cannot pay for another release",
  tampered_ciphertext:
    'a stored ciphertext does not match its hash; nothing was computed and nothing charged',
  missing_ciphertext: 'a stored ciphertext is missing; nothing was computed and nothing charged',
  recipe_error: 'the recipe could not evaluate these inputs; nothing was charged',
  sandbox_error: 'the sandbox refused the job; nothing was charged',
  attempts_exhausted: 'the job failed on every attempt the exchange makes; nothing was charged',
  agent_refused: "the data holder's agent refused to release it; nothing was charged",
  no_result_key: 'register a result key first: exchange keys init --for results',
  data_destroyed: 'the dataset was destroyed at its holder’s request (DS 37); nothing can be computed on it',
  not_released: 'the result is not released yet (see exchange compute show)',
  already_released: 'the computation was already released with another result',
};

/** `code: words (the exchange's message)`, or the message alone for a code this CLI does not know. */
export function explain(code: string | null | undefined, message?: string | null): string {
  const words = code ? CODE_WORDS[code] : undefined;
  if (!words) return [code, message].filter(Boolean).join(': ');
  return message && message !== words ? `${code}: ${words} (${message})` : `${code}: ${words}`;
}

/**
 * The hash the release recorded (`resultHash`) is the SHA-256 of the stored envelope blob, which holds the envelope
 * as RFC 8785 canonical JSON; the same JSON from any server re-serialises to the same bytes.
 */
export function envelopeSha256(envelope: unknown): string {
  const text = canonicalize(envelope);
  if (text === undefined) throw new Error('the envelope is not JSON');
  return createHash('sha256').update(text).digest('hex');
}
