import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiClient } from '../api-client.js';

const ASSET_HELP = `
Talks to the exchange at EXCHANGE_API_URL with the merchant's token in EXCHANGE_TOKEN
(an API token with the merchant:write scope: POST /v1/tokens).

asset.json holds the fields of POST /v1/assets: title, description, industry, dataKind, source,
columns, rowCount, updateFrequency, timeRange, classification, openAttribute, shareAttribute
(public data only), declaredLevel (optional) and rights. A refusal names the article that decided it.`;

/** Prints a reply: the body as JSON on stdout when it succeeded, its message on stderr (exit 1) when not. */
function report(
  reply: { status: number; body: unknown },
  ok: (body: Record<string, unknown>) => string,
): void {
  const body = (reply.body ?? {}) as Record<string, unknown>;
  if (reply.status >= 200 && reply.status < 300) {
    console.log(ok(body));
    return;
  }
  console.error(
    `exchange: ${reply.status} ${typeof body.message === 'string' ? body.message : JSON.stringify(body)}`,
  );
  process.exitCode = 1;
}

export function assetCommands(program: Command): void {
  const asset = program.command('asset').description('register data assets and follow their review');
  asset
    .command('register')
    .description('register a data asset from a JSON file (a draft), and submit it for review unless --draft')
    .requiredOption('--file <asset.json>', 'the asset, as POST /v1/assets takes it')
    .option('--draft', 'keep it a draft: do not submit it for review')
    .addHelpText('after', ASSET_HELP)
    .action(async (options: { file: string; draft?: boolean }) => {
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(options.file, 'utf8'));
      } catch (error) {
        console.error(`exchange: cannot read ${options.file}: ${(error as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const api = new ApiClient();
      const created = await api.post('/v1/assets', body);
      if (created.status !== 201 || options.draft) {
        report(created, (b) => JSON.stringify(b, null, 2));
        return;
      }
      const id = (created.body as { id: string }).id;
      report(await api.post(`/v1/assets/${id}/submit`), (b) =>
        JSON.stringify(
          {
            id: b.id,
            status: b.status,
            level: b.level,
            levelJustification: b.levelJustification,
            openAttribute: b.openAttribute,
          },
          null,
          2,
        ),
      );
    });
  asset
    .command('status')
    .description('an asset’s status, level, registration number and its review history')
    .argument('<id>', 'the asset id')
    .action(async (id: string) => {
      const api = new ApiClient();
      const reply = await api.get(`/v1/assets/${encodeURIComponent(id)}`);
      if (reply.status !== 200) return report(reply, () => '');
      const reviews = await api.get(`/v1/assets/${encodeURIComponent(id)}/reviews`);
      const a = reply.body as Record<string, unknown>;
      report({ status: 200, body: a }, () =>
        JSON.stringify(
          {
            id: a.id,
            title: a.title,
            status: a.status,
            statusReason: a.statusReason,
            version: a.version,
            level: a.level,
            levelJustification: a.levelJustification,
            registrationNumber: a.registrationNumber,
            registeredAt: a.registeredAt,
            reviews: (reviews.body as { reviews?: unknown[] }).reviews ?? [],
          },
          null,
          2,
        ),
      );
    });
}
