import type { Command } from 'commander';
import type { SecretKeyMaterial } from '@app/he';
import { ApiClient } from '../api-client.js';
import { KEY_PASSPHRASE_ENV, openKeyFile } from './data-keys.js';
import { defaultJournalPath, lockJournal } from './agent-journal.js';
import { agentPass } from './agent-loop.js';

const DEFAULT_KEY_FILE = 'exchange-data.hekeys';

const AGENT_HELP = `
The data holder's release agent, run by the merchant on its own side (it holds the HE secret key).
For each evaluated computation of your datasets (GET /v1/computations?state=evaluated) it fetches
the encrypted result and re-checks, before decrypting: the contract's terms against their hash and
the merchant's signature, the recipe and every bound column against the terms, and the output
policy (k never below 10, ε per release, the budget, differencing, repeats) over the platform's
history AND its own journal (--journal, default $EXCHANGE_STATE_DIR, $XDG_STATE_HOME/exchange or
~/.local/state/exchange, agent-journal.json): a platform that under-reports cannot make it
overspend. Then it checks each ciphertext's SHA-256, decrypts, adds the noise, runs the recipe's
finish on the noised aggregates, seals the result to the buyer's registered key (HPKE), records it
in the journal and posts it (POST …/release); a refusal is posted with its code (POST …/refuse).
A retry after a crash posts the very same sealed result. It never prints a value or a key.
--keys takes one or more key files (comma-separated) of exchange keys init, whose passphrase comes
from ${KEY_PASSPHRASE_ENV} or a prompt. --once handles what is waiting and exits (1 when anything
failed); otherwise it polls every --interval seconds until SIGINT/SIGTERM, finishing the
computation in hand. Uses EXCHANGE_API_URL and EXCHANGE_TOKEN (a merchant member's token).`;

interface AgentOptions {
  once?: boolean;
  interval: string;
  keys: string;
  journal?: string;
  json?: boolean;
}

export function agentCommand(program: Command): void {
  program
    .command('agent')
    .description(
      "release evaluated computations of your datasets under the output policy (the data holder's agent)",
    )
    .option('--once', 'handle what is waiting, then exit')
    .option('--interval <seconds>', 'seconds between polls without --once', '5')
    .option('--keys <files>', 'your HE key file(s), comma-separated', DEFAULT_KEY_FILE)
    .option('--journal <file>', "the agent's journal of releases (default in the CLI's state directory)")
    .option('--json', 'one JSON log line per computation')
    .addHelpText('after', AGENT_HELP)
    .action(async (options: AgentOptions) => runAgentCommand(options));
}

async function runAgentCommand(options: AgentOptions): Promise<void> {
  const interval = Number(options.interval);
  if (!Number.isFinite(interval) || interval <= 0 || interval > 86_400) {
    throw new Error('--interval must be a number of seconds above 0 (at most 86400)');
  }
  const journalPath = options.journal ?? defaultJournalPath();
  const files = options.keys
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (files.length === 0) throw new Error('--keys names no key file');
  const unlock = lockJournal(journalPath);
  const keys: SecretKeyMaterial[] = [];
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stop = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const file of files) keys.push(await openKeyFile(file));
    const api = new ApiClient();
    const pass = { journalPath, keys, json: options.json === true, stopping: () => stop };
    if (options.once) {
      const outcomes = await agentPass(api, pass);
      if (outcomes.some((o) => o.outcome === 'failed')) process.exitCode = 1;
      return;
    }
    while (!stop) {
      try {
        await agentPass(api, pass);
      } catch (error) {
        // The exchange unreachable or a listing refused: said, and tried again next round.
        console.error(`exchange agent: ${(error as Error).message}`);
      }
      if (stop) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const k of keys) k.secretKey.fill(0);
    unlock();
  }
}
