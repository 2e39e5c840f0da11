import { readFile } from 'node:fs/promises';
import { openResultKeyFile } from '@app/results/core';
import { HttpClient } from './support/http-client.js';
import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11 item 8: `exchange demo seed` shows a newcomer every state of a job on the power-load compute listing —
 * released (and opened with the buyer's demo key), refused with a code, and evaluated waiting for the agent — on the
 * embedded setup (SQLite, jobs inside the process).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Seeded {
  parties: { role: string; token: string }[];
  compute: {
    contractId: string;
    datasetId: string;
    keyFiles: { merchant: string; buyerResult: string; passphraseFile: string };
    computations: { id: string; recipe: string; state: string; reasonCode: string | null }[];
    skipped?: string;
  };
}

const seed = async (): Promise<Seeded> => {
  // The demo's computations are the embedded setup's: jobs inside the seeding process, without Redis.
  const result = await runCli(['demo', 'seed', '--json'], {
    ...t.database.env,
    EXCHANGE_API_URL: t.baseUrl,
    REDIS_URL: '',
  });
  expect([result.code, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout) as Seeded;
};

it('seeds computations in every state a newcomer should see, and a second run adds none', async () => {
  const { parties, compute } = await seed();
  expect(compute.skipped).toBeUndefined();
  expect(compute.computations.map((c) => [c.recipe, c.state, c.reasonCode])).toEqual([
    ['sum', 'released', null],
    ['mean', 'released', null],
    ['variance', 'refused', 'agent_refused'],
    ['count', 'evaluated', null],
  ]);
  const token = (role: string) => parties.find((p) => p.role === role)!.token;
  const buyer = new HttpClient(t.baseUrl, token('buyer'));
  const contract = (await buyer.get(`/v1/contracts/${compute.contractId}`)).body;
  expect(contract).toMatchObject({ state: 'active', computationsUsed: 2 });
  const dataset = (
    await new HttpClient(t.baseUrl, token('merchant')).get(`/v1/datasets/${compute.datasetId}`)
  ).body;
  expect(dataset).toMatchObject({ state: 'ready', rowCount: 96 });

  // The buyer opens a released result with the demo key file, as the seed's printout says.
  const passphrase = (await readFile(compute.keyFiles.passphraseFile, 'utf8')).trim();
  const released = compute.computations[0];
  const opened = await runCli(['compute', 'result', released.id, '--key', compute.keyFiles.buyerResult], {
    ...t.database.env,
    EXCHANGE_API_URL: t.baseUrl,
    EXCHANGE_TOKEN: token('buyer'),
    EXCHANGE_KEY_PASSPHRASE: passphrase,
  });
  expect(opened.code).toBe(0);
  expect(JSON.parse(opened.stdout)).toMatchObject({
    computationId: released.id,
    recipe: 'sum',
    rowsAggregated: 96,
    epsilonSpent: '1.000',
  });
  // The key file holds the registered key.
  const pair = await openResultKeyFile(
    new Uint8Array(await readFile(compute.keyFiles.buyerResult)),
    passphrase,
  );
  pair.privateKey.fill(0);

  const again = await seed();
  expect(again.compute.contractId).toBe(compute.contractId);
  expect(again.compute.computations.map((c) => c.id)).toEqual(compute.computations.map((c) => c.id));
}, 300_000);
