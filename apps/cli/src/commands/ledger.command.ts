import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { verifyLedgerExport, type LedgerVerifyReport } from '../ledger/verify-ledger-export.js';

/** Exit codes of `exchange ledger verify`. */
export const VERIFY_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface VerifyOptions {
  address: string;
  rpc?: string;
  contract?: string;
  fromBlock?: number;
  json?: boolean;
}

const VERIFY_HELP = `
Checks, offline: the header; every entry (leaf index, fields re-encoding to its leafInput, leaf
hash); every signed tree head (form, EIP-712 signature by --address, root recomputed from the
leaves, consistency with the previous head); that the last head covers every entry.
With --rpc and --contract it also reads every anchor of that ProvenanceAnchor contract and checks
its root against the export (the signed head at that size, or the root recomputed from the
export's leaves); anchors past the export's last entry are reported as not covered (a warning).
Nothing touches the network without --rpc; neither the exchange's API nor its database is used.

Exit codes:
  0  the export (and every covered anchor) verifies
  1  verification failed: the first bad entry, head or disagreeing anchor is named
  2  usage or I/O error (bad option, unreadable file, chain not reachable)`;

function blockNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function ledgerCommands(program: Command): void {
  const ledger = program.command('ledger').description("audit the exchange's provenance ledger");
  ledger
    .command('verify')
    .description('verify a ledger export (NDJSON) offline, and optionally its anchors on an EVM chain')
    .argument('<export.ndjson>', 'the export file')
    .requiredOption('--address <0x…>', 'address of the key that signs tree heads')
    .option('--rpc <url>', 'JSON-RPC URL of the chain holding the anchors (needs --contract)')
    .option('--contract <0x…>', 'address of the ProvenanceAnchor contract (needs --rpc)')
    .option(
      '--from-block <n>',
      'first block scanned for Anchored events (default 0); anchors at heads are read from storage',
      blockNumber,
    )
    .option('--json', 'print one JSON document for scripts')
    .addHelpText('after', VERIFY_HELP)
    .exitOverride(usageExit)
    .action(async (file: string, options: VerifyOptions) => {
      if ((options.rpc === undefined) !== (options.contract === undefined)) {
        const report: LedgerVerifyReport = {
          ok: false,
          exitCode: 2,
          kind: 'usage',
          message: '--rpc and --contract go together: give both to check anchors, or neither',
        };
        print(report, options.json === true);
        return;
      }
      const report = await verifyLedgerExport({
        file,
        address: options.address,
        anchors:
          options.rpc !== undefined && options.contract !== undefined
            ? { rpcUrl: options.rpc, contract: options.contract, fromBlock: options.fromBlock }
            : undefined,
      });
      print(report, options.json === true);
    });
}

/** Commander reports usage errors with exit code 1; this command keeps 1 for failed verification. */
function usageExit(error: CommanderError): never {
  if (error.exitCode === 0) throw error;
  throw new CommanderError(VERIFY_EXIT.usage, error.code, error.message);
}

function print(report: LedgerVerifyReport, json: boolean): void {
  process.exitCode = report.exitCode;
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    if (report.exitCode === 2) console.error(`exchange: ledger verify: ${report.message}`);
    return;
  }
  if (report.exitCode === 2) {
    console.error(`exchange: ledger verify: ${report.message}`);
    return;
  }
  for (const warning of report.warnings) console.error(`warning: ${warning}`);
  if (!report.ok) {
    console.error(`FAILED: ${report.message}`);
    return;
  }
  const { entries, heads, rootHash, hashAlgorithm } = report.export;
  let line = `ok: ${entries} ${plural(entries, 'entry', 'entries')}, ${heads} ${plural(heads, 'head', 'heads')}, root ${rootHash}, ${hashAlgorithm}`;
  if (report.anchors) {
    const { matched, notCovered, notFound } = report.anchors;
    line += `; ${matched} ${plural(matched, 'anchor matches', 'anchors match')}`;
    if (notCovered > 0) line += `, ${notCovered} not covered by the export`;
    if (notFound > 0) line += `, ${notFound} not found`;
  }
  console.log(line);
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);
