import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ApiClient } from '../api-client.js';
import { report } from '../report.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CREATE_HELP = `
The file is the body of POST /v1/listings, for example:
  {
    "assetIds": ["<registered asset id>"],
    "title": "海东市公交客流（按站点、小时）",
    "description": "…",
    "pricing": { "mode": "market", "priceFen": "150000" },
    "billingUnits": ["per-computation"],
    "delivery": "compute",
    "recipes": [{ "recipe": "mean", "columns": ["boardings"] }],
    "minRows": 50
  }
Guided pricing names its "category" (see GET /v1/pricing-bands); a subscription needs "subscriptionDays".
Money is whole fen, a string of digits or a JSON integer. Uses EXCHANGE_API_URL and EXCHANGE_TOKEN
(a merchant's token). Prints the listing as JSON; exit code 1 when the exchange refuses, with its reason
(a refusal by rule names the article, e.g. "DE 41: price … lies outside the band …").`;

function listingId(id: string): string {
  if (!UUID.test(id)) throw new Error(`${id} is not a listing id (a UUID)`);
  return id.toLowerCase();
}

export function listingCommands(program: Command): void {
  const listing = program.command('listing').description('make, submit, publish and withdraw listings');
  listing
    .command('create')
    .description('make a draft listing from a JSON file')
    .requiredOption('--file <listing.json>', 'the listing, as the body of POST /v1/listings')
    .addHelpText('after', CREATE_HELP)
    .action(async (options: { file: string }) => {
      let body: unknown;
      try {
        body = JSON.parse(await readFile(options.file, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read ${options.file} as JSON: ${(error as Error).message}`, { cause: error });
      }
      report('listing create', await new ApiClient().post('/v1/listings', body));
    });
  for (const [step, summary] of [
    ['submit', 'submit a draft for the operator’s review'],
    ['publish', 'publish an approved listing into the catalogue'],
    ['withdraw', 'withdraw a listing'],
  ] as const) {
    listing
      .command(step)
      .description(summary)
      .argument('<id>', 'the listing id')
      .action(async (id: string) => {
        report(`listing ${step}`, await new ApiClient().post(`/v1/listings/${listingId(id)}/${step}`, {}));
      });
  }
  listing
    .command('show')
    .description('show a listing')
    .argument('<id>', 'the listing id')
    .action(async (id: string) => {
      report('listing show', await new ApiClient().get(`/v1/listings/${listingId(id)}`));
    });
}
