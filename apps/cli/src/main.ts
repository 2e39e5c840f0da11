import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '@app/core';
import { DomainError } from '@app/core';
import { adminCommands } from './commands/admin.command.js';
import { demoCommands } from './commands/demo.command.js';
import { healthCommand } from './commands/health.command.js';

const program = new Command('exchange')
  .description(
    "the data exchange's command line: what a party runs on its own side, and bootstrap for operators",
  )
  .showHelpAfterError()
  .exitOverride();

adminCommands(program);
demoCommands(program);
healthCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message =
    error instanceof ConfigError || error instanceof DomainError || error instanceof Error
      ? error.message
      : String(error);
  console.error(`exchange: ${message}`);
  process.exit(1);
}
