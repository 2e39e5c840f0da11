import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorClient, createRpcProvider, startAnvil, type AnvilInstance } from '@app/chain';
import { AnchoringService } from '@app/ledger';
import { LedgerHeartbeat } from '../apps/api/src/ledger/ledger-heartbeat.js';
import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';

let anvil: AnvilInstance;
let t: TestApp;
let world: World;
let regulator: Party;
let exportDir: string;

beforeAll(async () => {
  anvil = await startAnvil();
  t = await startTestApp({
    CHAIN_RPC_URL: anvil.rpcUrl,
    ANCHOR_EVERY_ENTRIES: '5',
    ANCHOR_INTERVAL_SECONDS: '3600',
  });
  world = new World(t);
  regulator = await world.overseer('regulator');
  exportDir = mkdtempSync(join(tmpdir(), 'dx-anchor-'));
}, 120_000);
afterAll(async () => {
  await t.close();
  await anvil.stop();
  rmSync(exportDir, { recursive: true, force: true });
});

describe('anchoring on an EVM chain', () => {
  it('deploys its contract at the first beat and publishes it at /v1/ledger/key', async () => {
    // The beat at start attaches the contract, deploying it on this fresh chain, whether or not an anchor is due.
    let key = (await world.anonymous.get('/v1/ledger/key')).body;
    for (let beat = 0; !key.anchoring.contract && beat < 50; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      key = (await world.anonymous.get('/v1/ledger/key')).body;
    }
    expect(key.anchoring).toEqual({
      mode: 'rpc',
      chainId: 31337,
      contract: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
    });
    const provider = await createRpcProvider({ rpcUrl: anvil.rpcUrl });
    expect(await provider.getCode(key.anchoring.contract)).not.toBe('0x');
    provider.destroy();
  });

  it('anchors once enough entries wait, and never twice for a size', async () => {
    const heartbeat = t.app.get(LedgerHeartbeat);
    await heartbeat.tick();
    const operator = await world.operatorProgramme();
    await world.party(['buyer'], operator);
    await heartbeat.tick();
    const status = await t.app.get(AnchoringService).status();
    expect(status).toMatchObject({
      mode: 'rpc',
      ok: true,
      chainId: 31337,
      contract: expect.stringMatching(/^0x/),
    });
    const sth = (await regulator.client.get('/v1/ledger/sth')).body;
    expect(status.lastAnchor?.treeSize).toBe(sth.treeSize);

    const chain = new AnchorClient({ rpcUrl: anvil.rpcUrl }).attach(status.contract!);
    const onChain = await chain.checkpointAt(sth.treeSize);
    expect(onChain?.rootHash).toBe(`0x${Buffer.from(sth.rootHash, 'base64').toString('hex')}`);
    const anchorsBefore = (await chain.listAnchors()).length;
    await heartbeat.tick();
    expect((await chain.listAnchors()).length).toBe(anchorsBefore);
    await chain.close();

    const health = await world.anonymous.get('/health');
    expect(health.body.chain).toMatchObject({
      mode: 'rpc',
      ok: true,
      lastAnchor: { treeSize: sth.treeSize },
    });
    expect((await world.anonymous.get('/v1/ledger/key')).body.anchoring.contract).toBe(status.contract);
  });

  it('lets a regulator verify the export against the chain offline with the CLI', async () => {
    // Everything the regulator needs comes from the public key route: the signer and the anchor contract.
    const key = (await world.anonymous.get('/v1/ledger/key')).body;
    const address = key.signerAddress as string;
    const reply = await fetch(`${t.baseUrl}/v1/ledger/export`, {
      headers: { authorization: `Bearer ${regulator.client.token}` },
    });
    const file = join(exportDir, 'ledger.ndjson');
    writeFileSync(file, await reply.text());
    const result = await runCli([
      'ledger',
      'verify',
      file,
      '--address',
      address,
      '--rpc',
      anvil.rpcUrl,
      '--contract',
      key.anchoring.contract,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: \d+ entries, \d+ heads, .* sha256; [1-9]\d* anchors? match/);
  });
});
