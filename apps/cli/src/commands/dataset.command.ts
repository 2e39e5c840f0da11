import type { Command } from 'commander';
import { STOP_AFTER_ENV, uploadDataset } from './dataset-upload.js';
import { KEY_PASSPHRASE_ENV, openKeyFile } from './data-keys.js';

const UPLOAD_HELP = `
Reads --csv as a stream (any size; the first row names the columns), checks the header against
the asset's registered columns (GET /v1/assets/{id}), and uploads a new version of the asset's
encrypted dataset (POST /v1/datasets, PUT …/chunks/{n}, POST …/complete):
  - a column registered public (no personal information, no trade secret) travels in plaintext,
    as numbers, for filters; every other column is encrypted under --keys (exchange keys init)
    and needs its description in --spec, a JSON file such as
      {"vehicle_count": {"kind": "integer", "min": 0, "max": 100000},
       "avg_speed":     {"kind": "decimal", "decimals": 1, "min": 0, "max": 200}}
    (kind integer | decimal need a BFV key set, real a CKKS one; every value is checked);
  - the encrypted chunks are kept in --spool (default <csv>.upload, mode 0700) until the exchange
    says the version is ready. A run that stops (network, Ctrl-C) is resumed by running the same
    command again, or with --resume <datasetId>: it asks the exchange which chunks are missing
    and sends only those, byte for byte the same. The spool is removed on completion.
Progress on stderr; the dataset (id, version, manifestHash, chunksRoot …) as JSON on stdout.
The key file's passphrase comes from ${KEY_PASSPHRASE_ENV} or a prompt. ${STOP_AFTER_ENV}=N stops
after N chunks (exit code 75), for tests and drills. Uses EXCHANGE_API_URL and EXCHANGE_TOKEN.`;

export function datasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('encrypt and upload datasets of your assets');
  dataset
    .command('upload')
    .description("encrypt a CSV on your side and upload it as the asset's next dataset version (resumable)")
    .requiredOption('--asset <id>', 'the registered asset')
    .requiredOption('--csv <file>', 'the CSV (header row first)')
    .requiredOption('--keys <file>', 'your key file (exchange keys init)')
    .option('--columns <a,b>', 'upload only these columns of the CSV (default: all)')
    .option('--spec <file>', 'JSON: kind, min, max (decimals, buckets) of each encrypted column')
    .option('--spool <dir>', 'where the encrypted chunks wait until completion (default <csv>.upload)')
    .option(
      '--resume <datasetId>',
      'resume this upload from the spool (the default when the spool holds one)',
    )
    .addHelpText('after', UPLOAD_HELP)
    .action(async (options: Parameters<typeof uploadDataset>[0]) => {
      await uploadDataset(options, { openKeys: openKeyFile });
    });
}
