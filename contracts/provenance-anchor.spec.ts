import { randomBytes } from 'node:crypto';
import {
  Contract,
  ContractFactory,
  type ContractTransactionResponse,
  hexlify,
  JsonRpcProvider,
  Network,
  Wallet,
  ZeroAddress,
  ZeroHash,
} from 'ethers';
import { startAnvil, type AnvilInstance } from '@app/chain';
import { loadProvenanceAnchorArtifact, type ContractArtifact } from './build.js';

/** Contract-level behaviour on a real anvil, through plain ethers (the client has its own spec). */
describe('ProvenanceAnchor.sol', () => {
  let anvil: AnvilInstance;
  let provider: JsonRpcProvider;
  let artifact: ContractArtifact;
  let owner: Wallet, anchorer: Wallet, stranger: Wallet, successor: Wallet;
  let anchor: Contract;

  const root = (): string => hexlify(randomBytes(32));
  const send = async (pending: Promise<ContractTransactionResponse>) => (await (await pending).wait())!;

  beforeAll(async () => {
    [anvil, artifact] = await Promise.all([startAnvil(), loadProvenanceAnchorArtifact()]);
    provider = new JsonRpcProvider(anvil.rpcUrl, Network.from(anvil.chainId), {
      staticNetwork: Network.from(anvil.chainId),
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    [owner, anchorer, stranger, successor] = anvil.accounts
      .slice(0, 4)
      .map((a) => new Wallet(a.privateKey, provider));
  });

  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  beforeEach(async () => {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, owner);
    anchor = (await (await factory.deploy(owner.address, anchorer.address)).waitForDeployment()) as Contract;
  });

  const as = (wallet: Wallet) => anchor.connect(wallet) as Contract;

  /** ethers leaves `revert` unset when estimateGas fails on a send; decode the custom error from its data. */
  const expectRevert = async (pending: Promise<unknown>, name: string, args?: unknown[]) => {
    const error = (await pending.then(
      () => null,
      (e: unknown) => e,
    )) as { code?: string; data?: string } | null;
    expect(error?.code).toBe('CALL_EXCEPTION');
    const decoded = anchor.interface.parseError(error?.data ?? '0x');
    expect(decoded?.name).toBe(name);
    if (args) expect(decoded?.args.toArray()).toEqual(args);
  };

  it('starts empty and knows its keys', async () => {
    expect(await anchor.owner()).toBe(owner.address);
    expect(await anchor.anchorer()).toBe(anchorer.address);
    expect(await anchor.count()).toBe(0n);
    expect((await anchor.latest()).toArray()).toEqual([0n, ZeroHash, 0n]);
    expect((await anchor.checkpointAt(1)).toArray()).toEqual([0n, ZeroHash, 0n]);
  });

  it('records increasing checkpoints with block time and emits Anchored', async () => {
    const roots = [root(), root(), root()];
    const sizes = [1, 7, 8];
    for (let i = 0; i < sizes.length; i++) {
      const receipt = await send(as(anchorer).anchor(sizes[i], roots[i]));
      const block = await provider.getBlock(receipt.blockNumber);
      const [event] = receipt.logs.map((l) => anchor.interface.parseLog(l)!);
      expect(event.name).toBe('Anchored');
      expect(event.args.toArray()).toEqual([BigInt(sizes[i]), roots[i], BigInt(block!.timestamp)]);
      expect(receipt.gasUsed).toBeLessThan(100_000n);
    }
    expect(await anchor.count()).toBe(3n);
    expect(await anchor.latestTreeSize()).toBe(8n);
    expect((await anchor.latest()).rootHash).toBe(roots[2]);
    expect((await anchor.checkpointAt(7)).rootHash).toBe(roots[1]);
    expect((await anchor.checkpointAt(6)).rootHash).toBe(ZeroHash);
  });

  it('rejects writers other than the anchorer, the owner included', async () => {
    for (const wallet of [stranger, owner]) {
      await expectRevert(as(wallet).anchor(1, root()), 'NotAnchorer', [wallet.address]);
    }
    expect(await anchor.count()).toBe(0n);
  });

  it('rejects equal, smaller and zero tree sizes, and a zero root', async () => {
    await send(as(anchorer).anchor(5, root()));
    for (const size of [5, 4, 0]) {
      await expectRevert(as(anchorer).anchor(size, root()), 'TreeSizeNotIncreasing', [BigInt(size), 5n]);
    }
    await expectRevert(as(anchorer).anchor(6, ZeroHash), 'ZeroRoot');
    expect(await anchor.count()).toBe(1n);
  });

  it('rotates the anchorer in two steps, owner first', async () => {
    await expectRevert(as(stranger).proposeAnchorer(stranger.address), 'NotOwner');
    await expectRevert(as(successor).acceptAnchorer(), 'NotPendingAnchorer');
    await send(as(owner).proposeAnchorer(successor.address));
    expect(await anchor.anchorer()).toBe(anchorer.address); // not yet
    await expectRevert(as(stranger).acceptAnchorer(), 'NotPendingAnchorer');
    await send(as(successor).acceptAnchorer());
    expect(await anchor.anchorer()).toBe(successor.address);
    expect(await anchor.pendingAnchorer()).toBe(ZeroAddress);
    await expectRevert(as(anchorer).anchor(1, root()), 'NotAnchorer');
    await send(as(successor).anchor(1, root()));
    expect(await anchor.count()).toBe(1n);
  });

  it('refuses zero addresses at deployment', async () => {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, owner);
    await expectRevert(factory.deploy(ZeroAddress, anchorer.address), 'ZeroAddress');
  });
});
