import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

/** The project's version, from the nearest package.json up the tree (the same from source and from dist/). */
function projectVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      return (JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { version: string }).version;
    } catch {
      if (dir.pathname === '/') return 'unknown';
    }
  }
}

const program = new Command('exchange')
  .description(
    "the data exchange's command line: what a party runs on its own side, and bootstrap for operators",
  )
  .version(projectVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

/**
 * Each command group's module is loaded only when its group is named: the bootstrap commands pull in the whole
 * domain (Nest, the ORM), which the offline verifier, the HTTP commands and `--help` have no use for. The other
 * groups are listed by name and summary only; their summary here must match the group module's.
 */
const groups: Record<string, { summary: string; load: () => Promise<(program: Command) => void> }> = {
  admin: {
    summary: 'bootstrap commands that work on the database directly',
    load: async () => (await import('./commands/admin.command.js')).adminCommands,
  },
  demo: {
    summary: 'a demonstration world on the local database',
    load: async () => (await import('./commands/demo.command.js')).demoCommands,
  },
  asset: {
    summary: 'register data assets and follow their review',
    load: async () => (await import('./commands/asset.command.js')).assetCommands,
  },
  cert: {
    summary: 'verify registration certificates of data assets',
    load: async () => (await import('./commands/cert.command.js')).certCommands,
  },
  health: {
    summary: "ask the exchange's API how its database, queue and chain are",
    load: async () => (await import('./commands/health.command.js')).healthCommand,
  },
  ledger: {
    summary: "audit the exchange's provenance ledger",
    load: async () => (await import('./commands/ledger.command.js')).ledgerCommands,
  },
  file: {
    summary: 'upload the files of a file-delivery listing; download them under a contract',
    load: async () => (await import('./commands/file.command.js')).fileCommands,
  },
  listing: {
    summary: 'make, submit, publish and withdraw listings',
    load: async () => (await import('./commands/listing.command.js')).listingCommands,
  },
  keystore: {
    summary: 'make a local key to sign contracts with',
    load: async () => (await import('./commands/contract-signing.command.js')).keystoreCommands,
  },
  'signing-address': {
    summary: "register and show your organisation's contract signing address",
    load: async () => (await import('./commands/contract-signing.command.js')).signingAddressCommands,
  },
  dataset: {
    summary: 'encrypt and upload datasets of your assets',
    load: async () => (await import('./commands/dataset.command.js')).datasetCommands,
  },
  contract: {
    summary: 'show and sign contracts',
    load: async () => (await import('./commands/contract-signing.command.js')).contractCommands,
  },
  compute: {
    summary: 'run recipes on data you never see, and open their results',
    load: async () => (await import('./commands/compute.command.js')).computeCommands,
  },
  keys: {
    summary: 'make and register your own keys',
    load: async () => (await import('./commands/keys.command.js')).keysCommands,
  },
  agent: {
    summary:
      "release evaluated computations of your datasets under the output policy (the data holder's agent)",
    load: async () => (await import('./commands/agent.command.js')).agentCommand,
  },
};

const words = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const named = words[0] === 'help' ? words[1] : words[0];
for (const [name, group] of Object.entries(groups)) {
  if (name === named) (await group.load())(program);
  else program.command(name).description(group.summary);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(`exchange: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
