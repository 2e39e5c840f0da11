import type { Command } from 'commander';
import { ApiClient } from '../api-client.js';

export function healthCommand(program: Command): void {
  program
    .command('health')
    .description("ask the exchange's API how its database, queue and chain are")
    .action(async () => {
      const reply = await new ApiClient().get('/health');
      console.log(JSON.stringify(reply.body, null, 2));
      if (reply.status !== 200) process.exitCode = 1;
    });
}
