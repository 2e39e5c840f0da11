import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { hexlify, Interface, Wallet } from 'ethers';
import { loadProvenanceAnchorArtifact, type ContractArtifact } from '../../../contracts/build.js';
import { AnchorClient } from './anchor-client.js';
import { startAnvil, type AnvilInstance } from './anvil.js';
import { AnchorConflictError, AnchorRejectedError, ChainError } from './chain-errors.js';
import { findFreePort } from './free-port.js';
import { PROVENANCE_ANCHOR_ABI } from './provenance-anchor-abi.js';

describe('AnchorClient on anvil', () => {
  let anvil: AnvilInstance;
  let artifact: ContractArtifact;
  let anchorKey: Wallet;
  let strangerKey: Wallet;
  const clients: AnchorClient[] = [];
  const client = (rpcUrl = anvil.rpcUrl) => {
    const c = new AnchorClient({ rpcUrl, pollingIntervalMs: 50 });
    clients.push(c);
    return c;
  };
  const root = (): Uint8Array => new Uint8Array(randomBytes(32));

  beforeAll(async () => {
    [anvil, artifact] = await Promise.all([startAnvil(), loadProvenanceAnchorArtifact()]);
    anchorKey = new Wallet(anvil.accounts[1].privateKey);
    strangerKey = new Wallet(anvil.accounts[2].privateKey);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await anvil?.stop();
  });

  it('carries an ABI identical to the compiled contract', () => {
    expect(new Interface(PROVENANCE_ANCHOR_ABI).format().sort()).toEqual(
      new Interface(artifact.abi).format().sort(),
    );
  });

  it('deploys, anchors increasing sizes, and reads them back', async () => {
    const anchors = client();
    const deployed = await anchors.deploy(anchorKey, artifact.bytecode);
    expect(deployed.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await anchors.latest()).toBeNull();
    expect(await anchors.count()).toBe(0);

    const roots = [root(), root(), root()];
    const receipts = [];
    for (const [i, size] of [1, 2, 10].entries()) receipts.push(await anchors.anchor(size, roots[i]));
    expect(receipts.every((r) => !r.alreadyAnchored && r.blockNumber > deployed.blockNumber)).toBe(true);

    expect(await anchors.count()).toBe(3);
    expect(await anchors.latest()).toMatchObject({ treeSize: 10, rootHash: hexlify(roots[2]) });
    expect(await anchors.checkpointAt(2)).toMatchObject({ treeSize: 2, rootHash: hexlify(roots[1]) });
    expect(await anchors.checkpointAt(3)).toBeNull();

    const events = await anchors.listAnchors();
    expect(events.map((e) => [e.treeSize, e.rootHash, e.txHash, e.blockNumber])).toEqual(
      receipts.map((r, i) => [[1, 2, 10][i], hexlify(roots[i]), r.txHash, r.blockNumber]),
    );
    const latest = await anchors.latest();
    expect(events[2].timestamp).toBe(latest!.timestamp);
    expect(await anchors.listAnchors(receipts[2].blockNumber)).toHaveLength(1);
  });

  it('keeps nonces in order when anchors are fired without awaiting', async () => {
    const anchors = client();
    await anchors.deploy(anchorKey, artifact.bytecode);
    const sizes = [3, 4, 5, 6];
    const receipts = await Promise.all(sizes.map((size) => anchors.anchor(size, root())));
    expect(new Set(receipts.map((r) => r.txHash)).size).toBe(4);
    expect((await anchors.listAnchors()).map((e) => e.treeSize)).toEqual(sizes);
  });

  it('is idempotent for the same root and refuses a different one', async () => {
    const anchors = client();
    await anchors.deploy(anchorKey, artifact.bytecode);
    const theRoot = root();
    const first = await anchors.anchor(7, theRoot);
    const nonceBefore = await rpcNonce(anvil.rpcUrl, anchorKey.address);

    const again = await anchors.anchor(7, theRoot);
    expect(again).toEqual({ ...first, alreadyAnchored: true });
    expect(await rpcNonce(anvil.rpcUrl, anchorKey.address)).toBe(nonceBefore); // nothing was sent

    const conflict = await anchors.anchor(7, root()).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AnchorConflictError);
    expect(conflict).toMatchObject({ kind: 'conflict', treeSize: 7, onChainRoot: hexlify(theRoot) });
    expect(await anchors.count()).toBe(1);
  });

  it('rejects a size not above the latest, and a key that is not the anchorer', async () => {
    const anchors = client();
    const { address, blockNumber } = await anchors.deploy(anchorKey, artifact.bytecode);
    await anchors.anchor(10, root());
    await expect(anchors.anchor(9, root())).rejects.toMatchObject({
      name: 'AnchorRejectedError',
      reason: 'TreeSizeNotIncreasing',
      code: 'chain_tree_size_not_increasing',
    });

    const intruder = client().attach(address, { signer: strangerKey, deploymentBlock: blockNumber });
    const refused = await intruder.anchor(11, root()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AnchorRejectedError);
    expect(refused).toMatchObject({ reason: 'NotAnchorer', kind: 'forbidden' });
    expect(await intruder.count()).toBe(1);
  });

  it('checks preconditions before touching the chain', async () => {
    const anchors = client();
    const { address } = await anchors.deploy(anchorKey, artifact.bytecode);
    await expect(anchors.anchor(1, new Uint8Array(31))).rejects.toMatchObject({ code: 'chain_invalid_root' });
    await expect(anchors.anchor(1, new Uint8Array(32))).rejects.toMatchObject({ code: 'chain_invalid_root' });
    await expect(anchors.anchor(0, root())).rejects.toMatchObject({ code: 'chain_invalid_tree_size' });
    await expect(anchors.anchor(1.5, root())).rejects.toMatchObject({ code: 'chain_invalid_tree_size' });
    const readOnly = client().attach(address);
    await expect(readOnly.anchor(1, root())).rejects.toMatchObject({ code: 'chain_no_signer' });
    expect(() => client().address).toThrow(ChainError);
  });

  it('reports health of a live node', async () => {
    const health = await client().health();
    expect(health).toMatchObject({ reachable: true, chainId: 31337 });
    expect(health.blockNumber).toBeGreaterThan(0);
  });

  it('reports a dead URL unreachable quickly, and reads there fail fast', async () => {
    const deadUrl = `http://127.0.0.1:${await findFreePort()}`;
    const dead = client(deadUrl);
    const started = Date.now();
    expect(await dead.health(1000)).toMatchObject({ reachable: false });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(dead.attach('0x' + '11'.repeat(20)).latest()).rejects.toMatchObject({
      code: 'chain_unreachable',
    });
  });

  it('times out on a node that accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const health = await client(`http://127.0.0.1:${port}`).health(300);
      expect(health).toMatchObject({ reachable: false, error: expect.stringContaining('timeout') });
      expect(health.latencyMs).toBeLessThan(1500);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

async function rpcNonce(rpcUrl: string, address: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getTransactionCount',
      params: [address, 'pending'],
    }),
  });
  return Number.parseInt(((await response.json()) as { result: string }).result, 16);
}
