import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '@app/core';
import type { ResultEnvelope } from '@app/results/core';

/** The journal's format name; a file of another format is refused, never overwritten. */
export const AGENT_JOURNAL_FORMAT = 'exchange-agent-journal/1';

/**
 * What the agent decided about one computation, written (atomically) BEFORE it tells the platform: a crash and a
 * retry then post exactly this decision again (the same sealed envelope: re-noising would spend ε twice).
 */
export type JournalEntry =
  | {
      readonly kind: 'release';
      readonly computationId: string;
      readonly queryKey: string;
      readonly rowSet: readonly (readonly [number, number])[];
      readonly resolution: string;
      /** Noised values as released (never the exact ones), in the released vector's order. */
      readonly noisedValues: readonly string[];
      readonly milliEpsilon: number;
      /** For a repeat: the earlier computation whose noised values these are (milliEpsilon 0). */
      readonly repeatOf?: string;
      readonly envelope: ResultEnvelope;
      /** Set once the platform answered 200. */
      readonly posted: boolean;
      readonly at: string;
    }
  | {
      readonly kind: 'refuse';
      readonly computationId: string;
      readonly code: string;
      readonly reason: string;
      readonly posted: boolean;
      readonly at: string;
    };

export interface ContractJournal {
  /** The contract's ε budget and k as first seen: a later, laxer figure from the platform is not believed. */
  readonly budgetMilli: number;
  readonly minRows: number;
  readonly entries: readonly JournalEntry[];
}

export interface AgentJournal {
  readonly format: typeof AGENT_JOURNAL_FORMAT;
  readonly contracts: Readonly<Record<string, ContractJournal>>;
}

export const emptyJournal = (): AgentJournal => ({ format: AGENT_JOURNAL_FORMAT, contracts: {} });

/**
 * The default journal: `agent-journal.json` in the CLI's state directory, `$EXCHANGE_STATE_DIR`, else
 * `$XDG_STATE_HOME/exchange`, else `~/.local/state/exchange`.
 */
export function defaultJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.EXCHANGE_STATE_DIR ||
    (env.XDG_STATE_HOME
      ? join(env.XDG_STATE_HOME, 'exchange')
      : join(homedir(), '.local', 'state', 'exchange'));
  return join(dir, 'agent-journal.json');
}

/** Reads the journal; a missing file is an empty journal, a damaged or foreign one an error (never overwritten). */
export function readJournal(path: string): AgentJournal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyJournal();
    throw new Error(`cannot read the agent journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the agent journal ${path} is not JSON; move it away only if you know its releases`);
  }
  const j = parsed as Partial<AgentJournal> | null;
  if (
    typeof j !== 'object' ||
    j === null ||
    j.format !== AGENT_JOURNAL_FORMAT ||
    typeof j.contracts !== 'object'
  ) {
    throw new Error(`${path} is not an ${AGENT_JOURNAL_FORMAT} file`);
  }
  return j as AgentJournal;
}

/** Writes the whole journal atomically (0600): the file holds the old journal or the new one, never a part. */
export function writeJournal(path: string, journal: AgentJournal): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomically(path, `${JSON.stringify(journal, null, 1)}\n`);
}

export function entryOf(
  journal: AgentJournal,
  contractId: string,
  computationId: string,
): JournalEntry | undefined {
  return journal.contracts[contractId]?.entries.find((e) => e.computationId === computationId);
}

/**
 * The journal with `entry` recorded for its contract (replacing an entry of the same computation), the contract's
 * budget and k remembered as first seen.
 */
export function withEntry(
  journal: AgentJournal,
  contractId: string,
  seen: { budgetMilli: number; minRows: number },
  entry: JournalEntry,
): AgentJournal {
  const before = journal.contracts[contractId];
  const contract: ContractJournal = {
    budgetMilli: before?.budgetMilli ?? seen.budgetMilli,
    minRows: before?.minRows ?? seen.minRows,
    entries: [...(before?.entries ?? []).filter((e) => e.computationId !== entry.computationId), entry],
  };
  return { ...journal, contracts: { ...journal.contracts, [contractId]: contract } };
}

/** ε this agent has sealed for the contract (posted or not: a sealed envelope may yet be released). */
export function journalSpentMilli(journal: AgentJournal, contractId: string): number {
  return (journal.contracts[contractId]?.entries ?? []).reduce(
    (sum, e) => sum + (e.kind === 'release' ? e.milliEpsilon : 0),
    0,
  );
}

/**
 * Takes `<journal>.lock` for this process, so two agents never decide on one journal at once. A lock left by a
 * process that no longer exists is taken over. Returns the release function.
 */
export function lockJournal(path: string): () => void {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`another agent (process ${pid}) holds ${lock}; one agent per journal`, {
          cause: error,
        });
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot take ${lock}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
