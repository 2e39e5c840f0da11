import type { Command } from 'commander';
import { RegistrationService } from '@app/identity';
import { withDomain } from '../domain-context.js';
import { readSecret } from '../prompt.js';

export function adminCommands(program: Command): void {
  const admin = program.command('admin').description('bootstrap commands that work on the database directly');
  admin
    .command('create-operator')
    .description(
      "create the exchange's operator organisation and its first account (password from a prompt or stdin)",
    )
    .requiredOption('--username <name>', 'login name of the first operator account')
    .requiredOption('--credit-code <code>', "the exchange's unified social credit code")
    .option('--name <name>', 'organisation name', '数据交易机构')
    .option('--display-name <name>', 'the person behind the account', 'Operator')
    .action(async (options: { username: string; creditCode: string; name: string; displayName: string }) => {
      const password = await readSecret('password (12+ characters): ');
      if (password.length < 12) throw new Error('password must be at least 12 characters');
      const { organisation, account } = await withDomain((context) =>
        context.get(RegistrationService).registerAdmitted(
          {
            kind: 'organisation',
            name: options.name,
            identifier: options.creditCode,
            roles: ['operator'],
            admin: { username: options.username, password, displayName: options.displayName },
          },
          null,
        ),
      );
      console.log(
        `operator organisation ${organisation.id} and account ${account.username} (${account.id}) created.`,
      );
      console.log(
        'Sign in, then enrol TOTP: POST /v1/auth/login, POST /v1/auth/totp, POST /v1/auth/totp/confirm.',
      );
    });
}
