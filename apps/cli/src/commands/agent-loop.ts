import type { SecretKeyMaterial } from '@app/he';
import type { ApiClient } from '../api-client.js';
import { parseEvaluationBundle } from './agent-bundle.js';
import { readJournal, withEntry, writeJournal, type JournalEntry } from './agent-journal.js';
import { decideComputation, formatEpsilon } from './agent-release.js';

export interface AgentPassOptions {
  readonly journalPath: string;
  /** SECRET. The merchant's HE key sets. */
  readonly keys: readonly SecretKeyMaterial[];
  readonly json: boolean;
  /** Checked between computations: a stop finishes the computation in hand, then returns. */
  readonly stopping?: () => boolean;
}

/** What one computation came to; one output line each. Never a value, never a key. */
export interface AgentOutcome {
  readonly computationId: string;
  readonly outcome: 'released' | 'repeat' | 'refused' | 'failed';
  readonly code?: string;
  readonly epsilonSpent?: string;
  readonly message?: string;
}

const bodyOf = (reply: { body: unknown }) =>
  reply.body as { code?: unknown; message?: unknown; items?: unknown; next?: unknown };

/** The ids of evaluated computations the caller may see, every page. */
async function evaluatedIds(api: ApiClient): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const query = `state=evaluated&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await api.get(`/v1/computations?${query}`);
    if (reply.status !== 200)
      throw new Error(`listing evaluated computations: ${reply.status} ${String(bodyOf(reply).message)}`);
    const { items, next } = bodyOf(reply);
    for (const item of Array.isArray(items) ? (items as { id?: unknown; state?: unknown }[]) : []) {
      if (typeof item.id === 'string' && item.state === 'evaluated') ids.push(item.id);
    }
    if (typeof next !== 'string' || next === '') break;
    cursor = next;
  }
  return ids;
}

/** Posts a journal entry: the release with its sealed envelope, or the refusal. */
async function post(api: ApiClient, entry: JournalEntry): Promise<{ status: number; body: unknown }> {
  const path = `/v1/computations/${encodeURIComponent(entry.computationId)}`;
  return entry.kind === 'release'
    ? api.post(`${path}/release`, { envelope: entry.envelope, epsilonSpentMilli: entry.milliEpsilon })
    : api.post(`${path}/refuse`, { code: entry.code, reason: entry.reason });
}

/**
 * One computation: fetch its bundle, decide (or take the decision already journalled), record the decision in the
 * journal BEFORE telling the platform, post it, and mark it posted. A 404 on the bundle is a computation of
 * someone else's dataset: skipped, no line.
 */
async function handle(
  api: ApiClient,
  id: string,
  options: AgentPassOptions,
): Promise<AgentOutcome | undefined> {
  const reply = await api.get(`/v1/computations/${encodeURIComponent(id)}/evaluation`);
  if (reply.status === 404) return undefined;
  if (reply.status !== 200) {
    return {
      computationId: id,
      outcome: 'failed',
      message: `evaluation: ${reply.status} ${String(bodyOf(reply).message)}`,
    };
  }
  const bundle = parseEvaluationBundle(reply.body);
  let typedDataMessage: Record<string, unknown> | undefined;
  if (bundle.contract.merchantSignature) {
    const contract = await api.get(`/v1/contracts/${encodeURIComponent(bundle.contract.id)}`);
    const served = contract.body as { typedData?: { message?: Record<string, unknown> } };
    if (contract.status !== 200 || !served.typedData?.message) {
      return {
        computationId: id,
        outcome: 'failed',
        message: `contract ${bundle.contract.id}: ${contract.status}`,
      };
    }
    typedDataMessage = served.typedData.message;
  }
  let journal = readJournal(options.journalPath);
  const decision = await decideComputation(bundle, journal, { keys: options.keys, typedDataMessage });
  const { entry } = decision;
  if (!decision.replayed) {
    journal = withEntry(journal, bundle.contract.id, decision.seen, entry);
    writeJournal(options.journalPath, journal);
  }
  const answer = await post(api, entry);
  const { code, message } = bodyOf(answer);
  if (answer.status === 200) {
    writeJournal(
      options.journalPath,
      withEntry(readJournal(options.journalPath), bundle.contract.id, decision.seen, {
        ...entry,
        posted: true,
      }),
    );
    if (entry.kind === 'refuse')
      return { computationId: id, outcome: 'refused', code: entry.code, message: entry.reason };
    return {
      computationId: id,
      outcome: entry.repeatOf ? 'repeat' : 'released',
      epsilonSpent: formatEpsilon(entry.milliEpsilon),
      ...(entry.repeatOf ? { message: `repeat of ${entry.repeatOf}` } : {}),
    };
  }
  if (entry.kind === 'release' && answer.status === 422 && code === 'budget_exhausted') {
    // The platform's own spend check refused it: nothing was released; say so on the computation. The sealed
    // entry stays in the journal and keeps counting against the budget here (the safe side).
    const reason = `the platform refused the release: ${String(message)}`;
    const refusal = await post(api, {
      kind: 'refuse',
      computationId: id,
      code: 'budget_exhausted',
      reason,
      posted: false,
      at: entry.at,
    });
    if (refusal.status === 200)
      return { computationId: id, outcome: 'refused', code: 'budget_exhausted', message: reason };
  }
  return {
    computationId: id,
    outcome: 'failed',
    ...(typeof code === 'string' ? { code } : {}),
    message: `${entry.kind}: ${answer.status} ${String(message)}`,
  };
}

/** Handles every evaluated computation waiting now; one outcome per computation handled. */
export async function agentPass(api: ApiClient, options: AgentPassOptions): Promise<AgentOutcome[]> {
  const outcomes: AgentOutcome[] = [];
  for (const id of await evaluatedIds(api)) {
    if (options.stopping?.()) break;
    let outcome: AgentOutcome | undefined;
    try {
      outcome = await handle(api, id, options);
    } catch (error) {
      outcome = { computationId: id, outcome: 'failed', message: (error as Error).message };
    }
    if (!outcome) continue;
    outcomes.push(outcome);
    printOutcome(outcome, options.json);
  }
  return outcomes;
}

/** One line per computation: words, or a JSON log line with `--json`. */
export function printOutcome(o: AgentOutcome, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ at: new Date().toISOString(), ...o }));
    return;
  }
  const detail =
    o.outcome === 'released' || o.outcome === 'repeat'
      ? `ε ${o.epsilonSpent}${o.message ? ` (${o.message})` : ''}`
      : `${o.code ?? ''}${o.message ? `: ${o.message}` : ''}`;
  const line = `${o.computationId} ${o.outcome} ${detail}`.trimEnd();
  if (o.outcome === 'failed') console.error(line);
  else console.log(line);
}
