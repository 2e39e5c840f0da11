import 'reflect-metadata';
import { Command, CommanderError } from 'commander';

const program = new Command('exchange')
  .description(
    "the data exchange's command line: what a party runs on its own side, and bootstrap for operators",
  )
  .showHelpAfterError()
  .exitOverride();

/**
 * Each command group's module is loaded only when its group is named: the bootstrap commands pull in the whole
 * domain (Nest, the ORM), which the offline verifier and the HTTP commands have no use for.
 */
const groups: Record<string, () => Promise<(program: Command) => void>> = {
  admin: async () => (await import('./commands/admin.command.js')).adminCommands,
  demo: async () => (await import('./commands/demo.command.js')).demoCommands,
  health: async () => (await import('./commands/health.command.js')).healthCommand,
  ledger: async () => (await import('./commands/ledger.command.js')).ledgerCommands,
};

const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
for (const [name, load] of Object.entries(groups)) {
  if (named === undefined || named === 'help' || named === name || !(named in groups))
    (await load())(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(`exchange: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
