import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/exchange.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `exchange` command as a user would: its own process, the given environment on top of ours, stdin piped. */
export function runCli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NODE_ENV: 'test', CHAIN_RPC_URL: 'off', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs `exchange` against the test's API as the holder of `token`, on the test's database, with `env` on top. */
export function runCliAgainst(
  t: { baseUrl: string; database: { env: Record<string, string> } },
  token: string,
  args: string[],
  env: Record<string, string> = {},
  stdin = '',
): Promise<CliResult> {
  return runCli(
    args,
    { ...t.database.env, EXCHANGE_API_URL: t.baseUrl, EXCHANGE_TOKEN: token, ...env },
    stdin,
  );
}
