import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { openResult } from '@app/results/core';
import { COMPUTATION_STATES, isFinal, type ComputationState, type ReleasedResult } from '@app/compute/core';
import { ApiClient } from '../api-client.js';
import { report } from '../report.js';
import { openKeyFile } from './keys.command.js';
import { computationRequest, envelopeSha256, explain, type RunOptions } from './compute-request.js';

const DEFAULT_RESULT_KEY_FILE = 'exchange-result.key';
const WAIT_ENV = 'EXCHANGE_COMPUTE_POLL_MS';

const COMPUTE_HELP = `
Computations run a reviewed recipe of the catalogue on a dataset you never see, under an active contract.
The exchange checks the request (recipe and columns in the contract, at least k rows, the privacy budget,
no differencing pair) and queues it; a sandbox evaluates it on ciphertext; the data holder's agent re-checks,
adds the noise and releases it sealed to your result key (exchange keys init --for results); only your
key file opens it (exchange compute result). States: queued, running, evaluated (waiting for the data
holder's agent), released, refused, failed. A refusal or failure carries a stable code. See docs/compute.md.
Uses EXCHANGE_API_URL and EXCHANGE_TOKEN (a buyer's).`;

interface ComputationView {
  id: string;
  contractId: string;
  recipe: string;
  state: ComputationState;
  reason: string | null;
  reasonCode: string | null;
  rowsAggregated: number | null;
  epsilonSpent: string | null;
  resultHash: string | null;
  repeatOf?: string | null;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A refused request (422 with a code) in words, then the exchange's reply as `report` prints it. */
function reportRefusal(what: string, reply: { status: number; body: unknown }): void {
  const body = reply.body as { code?: string; message?: string; article?: string } | null;
  if (body && typeof body === 'object' && typeof body.code === 'string') {
    console.error(
      `exchange: ${what}: ${reply.status} ${explain(body.code, body.message)}` +
        (body.article ? ` [${body.article}]` : ''),
    );
    process.exitCode = 1;
    return;
  }
  report(what, reply);
}

/** One line on stderr for a state; a refusal or failure says its code in words. */
function stateLine(c: ComputationView): string {
  const why = c.reasonCode ? ` — ${explain(c.reasonCode, c.reason)}` : '';
  return `computation ${c.id}: ${c.state}${why}`;
}

/** Follows a computation until a final state, printing each change on stderr; returns the last view. */
async function follow(api: ApiClient, id: string, first?: ComputationView): Promise<ComputationView | null> {
  const pollMs = Number(process.env[WAIT_ENV] ?? 500);
  let last = first ?? null;
  if (last) console.error(stateLine(last));
  for (;;) {
    if (last && isFinal(last.state)) return last;
    await sleep(pollMs);
    const reply = await api.get(`/v1/computations/${encodeURIComponent(id)}`);
    if (reply.status !== 200) {
      report('compute show', reply);
      return null;
    }
    const now = reply.body as ComputationView;
    if (!last || now.state !== last.state) console.error(stateLine(now));
    last = now;
  }
}

export function computeCommands(program: Command): void {
  const compute = program
    .command('compute')
    .description('run recipes on data you never see, and open their results')
    .addHelpText('after', COMPUTE_HELP);

  compute
    .command('run')
    .description('submit a computation under a contract (POST /v1/computations)')
    .requiredOption('--contract <id>', 'your active contract')
    .requiredOption(
      '--recipe <name>',
      'a recipe of the catalogue the contract allows (exchange compute recipes lists them, with their roles)',
    )
    .requiredOption(
      '--column <role=col[,col…]>',
      "bind a recipe input to the dataset's column(s); repeat for each role",
      collect,
    )
    .option('--weights <file>', "the dot product's weights: a JSON array, or one number per line")
    .option('--params <json>', 'other parameters of the recipe, a JSON object')
    .option(
      '--filter <expr>',
      "keep rows where a public column holds: 'col op value' (op = != < <= > >= or eq ne lt le gt ge in); repeatable",
      collect,
    )
    .option('--dataset <id>', 'a dataset version (default: the newest ready one of the listing)')
    .option('--wait', 'follow it until it is released, refused or failed, printing each state')
    .addHelpText('after', COMPUTE_HELP)
    .action(async (options: RunOptions & { wait?: boolean }) => {
      const api = new ApiClient();
      const reply = await api.post('/v1/computations', await computationRequest(options));
      if (reply.status !== 200 && reply.status !== 201) return reportRefusal('compute run', reply);
      const created = reply.body as ComputationView;
      if (reply.status === 200)
        console.error(
          `the same query on the same rows was already released as ${created.id}: nothing queued, spent or charged`,
        );
      const final = options.wait ? await follow(api, created.id, created) : created;
      if (!final) return;
      console.log(
        JSON.stringify(
          { id: final.id, state: final.state, ...(final.reasonCode ? { reasonCode: final.reasonCode } : {}) },
          null,
          2,
        ),
      );
      if (final.state === 'refused' || final.state === 'failed') process.exitCode = 1;
    });

  compute
    .command('recipes')
    .description(
      'the recipe catalogue (GET /v1/recipes, no token needed): each recipe with the roles --column binds, the kinds of column each takes, its output and the fewest rows it runs on',
    )
    .action(async () => {
      report('compute recipes', await new ApiClient().get('/v1/recipes'));
    });

  compute
    .command('show')
    .description('a computation: state, reason with its code, rows aggregated, ε spent, result hash')
    .argument('<id>')
    .action(async (id: string) => {
      const reply = await new ApiClient().get(`/v1/computations/${encodeURIComponent(id)}`);
      if (report('compute show', reply)) {
        const c = reply.body as ComputationView;
        if (c.reasonCode) console.error(stateLine(c));
      }
    });

  compute
    .command('list')
    .description('the computations you may see, newest first, page by page')
    .option('--contract <id>', "only this contract's")
    .option('--state <state>', `only in this state (${COMPUTATION_STATES.join(', ')})`)
    .option('--cursor <cursor>', 'the next page (the `next` of the previous one)')
    .option('--limit <n>', 'items per page')
    .action(async (options: { contract?: string; state?: string; cursor?: string; limit?: string }) => {
      if (options.state !== undefined && !(COMPUTATION_STATES as readonly string[]).includes(options.state))
        throw new Error(`--state must be one of ${COMPUTATION_STATES.join(', ')}`);
      const query = new URLSearchParams();
      if (options.contract) query.set('contractId', options.contract);
      if (options.state) query.set('state', options.state);
      if (options.cursor) query.set('cursor', options.cursor);
      if (options.limit) query.set('limit', options.limit);
      const qs = query.toString();
      report('compute list', await new ApiClient().get(`/v1/computations${qs ? `?${qs}` : ''}`));
    });

  compute
    .command('result')
    .description('fetch a released result and open it with your result key, on this machine')
    .argument('<id>')
    .option(
      '--key <file>',
      `your result key file (exchange keys init --for results)`,
      DEFAULT_RESULT_KEY_FILE,
    )
    .addHelpText(
      'after',
      `
Fetches the sealed result (GET /v1/computations/{id}/result), checks that its SHA-256 is the resultHash
the release recorded on the ledger, opens it with the key file (passphrase from EXCHANGE_KEY_PASSPHRASE
or a prompt) and prints {computationId, recipe, output, epsilonSpent, rowsAggregated, resolution,
aggregates} as JSON. The values are noised by design (ε-differential privacy at release).`,
    )
    .action(async (id: string, options: { key: string }) => {
      const api = new ApiClient();
      const reply = await api.get(`/v1/computations/${encodeURIComponent(id)}/result`);
      if (reply.status !== 200) return reportRefusal('compute result', reply);
      const body = reply.body as {
        computationId: string;
        contractId: string;
        resultHash: string;
        envelope: unknown;
      };
      const show = await api.get(`/v1/computations/${encodeURIComponent(id)}`);
      if (show.status !== 200) return void report('compute show', show);
      const recorded = (show.body as ComputationView).resultHash;
      const actual = envelopeSha256(body.envelope);
      if (actual !== recorded || actual !== body.resultHash)
        throw new Error(
          `the sealed result's SHA-256 ${actual} is not the hash its release recorded (${recorded}); not opened`,
        );
      const pair = await openKeyFile(options.key);
      let plaintext: Uint8Array;
      try {
        plaintext = await openResult(pair.privateKey, body.envelope, {
          computationId: id, // the one asked for: a result sealed for another computation does not open
          contractId: body.contractId,
        });
      } catch (error) {
        throw new Error(`cannot open the result of ${id}: ${(error as Error).message}`, { cause: error });
      } finally {
        pair.privateKey.fill(0);
      }
      const released = JSON.parse(Buffer.from(plaintext).toString('utf8')) as ReleasedResult;
      if (released.computationId !== body.computationId || released.contractId !== body.contractId)
        throw new Error('the opened result names another computation or contract; not printed');
      console.log(
        JSON.stringify(
          {
            computationId: released.computationId,
            recipe: released.recipe,
            output: released.output,
            epsilonSpent: released.epsilonSpent,
            rowsAggregated: released.rowsAggregated,
            resolution: released.resolution,
            aggregates: released.aggregates,
            ...(released.repeatOf ? { repeatOf: released.repeatOf } : {}),
          },
          null,
          2,
        ),
      );
    });
}
