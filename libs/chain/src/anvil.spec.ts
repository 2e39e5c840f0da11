import { startAnvil, type AnvilInstance } from './anvil.js';
import { checkChainHealth } from './chain-health.js';
import { jsonRpcCall } from './json-rpc-fetch.js';

describe('startAnvil', () => {
  let anvil: AnvilInstance;

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 31338, accounts: 3 });
  });
  afterAll(() => anvil?.stop());

  it('serves JSON-RPC on 127.0.0.1 with the requested chain id', async () => {
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
    expect(anvil.port).not.toBe(8545);
    expect(await checkChainHealth(anvil.rpcUrl)).toMatchObject({ reachable: true, chainId: 31338 });
  });

  it('derives the same dev accounts anvil funds, without exposing keys when logged', async () => {
    const onNode = (await jsonRpcCall(anvil.rpcUrl, 'eth_accounts', [], 2000)) as string[];
    expect(anvil.accounts.map((a) => a.address.toLowerCase())).toEqual(onNode.map((a) => a.toLowerCase()));
    expect(anvil.accounts[0].privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(JSON.stringify(anvil.accounts)).not.toContain(anvil.accounts[0].privateKey.slice(2));
  });

  it('refuses an explicit port that is taken', async () => {
    await expect(startAnvil({ port: anvil.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('stops the node and frees its port', async () => {
    const other = await startAnvil({ accounts: 1 });
    await other.stop();
    await other.stop(); // idempotent
    expect(await checkChainHealth(other.rpcUrl, 500)).toMatchObject({ reachable: false });
  });
});
