import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexlify, Wallet } from 'ethers';
import { AnchorClient, startAnvil, type AnvilInstance } from '@app/chain';
import {
  encodeBase64,
  encodeLeafInput,
  exportEntryLine,
  exportHeaderLine,
  exportHeadLine,
  formatExportLine,
  hashLeaf,
  MerkleFrontier,
  signTreeHead,
  type LedgerEntry,
} from '@app/ledger/core';
import { loadProvenanceAnchorArtifact } from '../contracts/build.js';
import { runCli } from './support/run-cli.js';

/** The CLI as a regulator runs it: no API (a dead address), no database, no chain unless --rpc is given. */
const cli = (args: string[]) => runCli(args, { EXCHANGE_API_URL: 'http://127.0.0.1:9' });
/** `ledger verify` of an export signed by `signer`, checked against the anchors of `contract` on the test chain. */
const verifyOnChain = (file: string, contract: string, ...extra: string[]) =>
  cli([
    'ledger',
    'verify',
    file,
    '--address',
    signer.address,
    '--rpc',
    anvil.rpcUrl,
    '--contract',
    contract,
    ...extra,
  ]);

const SIZE = 200;
const HEAD_SIZES = [50, 120, 200];
const signer = new Wallet(`0x${'42'.repeat(32)}`);
const stranger = new Wallet(`0x${'43'.repeat(32)}`);

function entry(index: number): LedgerEntry {
  return {
    index,
    time: new Date(Date.UTC(2025, 5, 1) + index * 60_000).toISOString(),
    actor:
      index % 10 === 0
        ? { accountId: null, organisationId: null }
        : { accountId: `acc_${index % 7}`, organisationId: `org_${index % 3}` },
    action: index % 2 ? 'test.appended' : 'test.amended',
    subjectIds: [`subject_${index}`],
    payload: { n: index, note: `entry number ${index}`, flags: [index % 3 === 0, null] },
  };
}

/** Export lines (each with its newline), heads interleaved after their last entry, and the root at every size. */
async function buildExport(
  options: { size?: number; headSizes?: number[]; headSigner?: (treeSize: number) => Wallet } = {},
) {
  const { size = SIZE, headSizes = HEAD_SIZES, headSigner = () => signer } = options;
  const frontier = new MerkleFrontier('sha256');
  const roots: Uint8Array[] = [frontier.root()];
  const lines: string[] = [formatExportLine(exportHeaderLine('sha256'))];
  for (let i = 0; i < size; i++) {
    const value = entry(i);
    const leafInput = encodeLeafInput(value);
    frontier.push(hashLeaf('sha256', leafInput));
    roots.push(frontier.root());
    lines.push(formatExportLine(exportEntryLine(value, leafInput)));
    if (headSizes.includes(i + 1)) {
      const head = await signTreeHead(headSigner(i + 1), {
        treeSize: i + 1,
        rootHash: encodeBase64(frontier.root()),
        timestamp: 1_750_000_000_000 + i,
        hashAlgorithm: 'sha256',
      });
      lines.push(formatExportLine(exportHeadLine(head)));
    }
  }
  return { lines, roots };
}

/** 1-based line of entry `index` (header first, a head after sizes 50 and 120). */
const entryLine = (index: number): number => 2 + index + HEAD_SIZES.filter((s) => s <= index).length;
const headLine = (treeSize: number): number => entryLine(treeSize - 1) + 1;

let dir: string;
let roots: Uint8Array[];
let good: string;
let anvil: AnvilInstance;
let contract: string;
let wrongContract: string;
const clients: AnchorClient[] = [];

beforeAll(async () => {
  const [chain, artifact, built] = await Promise.all([
    startAnvil(),
    loadProvenanceAnchorArtifact(),
    buildExport(),
  ]);
  anvil = chain;
  roots = built.roots;
  dir = await mkdtemp(join(tmpdir(), 'ledger-verify-'));
  good = join(dir, 'good.ndjson');
  await writeFile(good, built.lines.join(''));

  const wallet = new Wallet(anvil.accounts[0].privateKey);
  const anchors = new AnchorClient({ rpcUrl: anvil.rpcUrl, pollingIntervalMs: 50 });
  clients.push(anchors);
  contract = (await anchors.deploy(wallet, artifact.bytecode)).address;
  for (const size of [50, 80, 120]) await anchors.anchor(size, roots[size]);

  const wrong = new AnchorClient({ rpcUrl: anvil.rpcUrl, pollingIntervalMs: 50 });
  clients.push(wrong);
  wrongContract = (await wrong.deploy(wallet, artifact.bytecode)).address;
  await wrong.anchor(50, roots[50]);
  await wrong.anchor(100, new Uint8Array(randomBytes(32)));
  await wrong.anchor(150, roots[150]);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await anvil?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('exchange ledger verify', () => {
  it('accepts a good export offline and prints the summary', async () => {
    const [result, json] = await Promise.all([
      cli(['ledger', 'verify', good, '--address', signer.address]),
      cli(['ledger', 'verify', good, '--address', signer.address, '--json']),
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(`ok: 200 entries, 3 heads, root ${encodeBase64(roots[200])}, sha256`);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
      export: { entries: 200, heads: 3, treeSize: 200, rootHash: encodeBase64(roots[200]) },
      anchors: null,
    });
  });

  it('names exactly the entry whose payload changed by one byte', async () => {
    const { lines } = await buildExport();
    const index = 73;
    const line = entryLine(index);
    const original = lines[line - 1];
    const changed = original.replace(`"entry number ${index}"`, `"entry number ${index + 1}"`);
    expect(changed).not.toBe(original);
    expect(changed.length).toBe(original.length);
    JSON.parse(changed);
    lines[line - 1] = changed;
    const file = join(dir, 'payload.ndjson');
    await writeFile(file, lines.join(''));

    const result = await cli(['ledger', 'verify', file, '--address', signer.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `entry ${index} (line ${line}): the entry fields do not encode to its leafInput`,
    );
    const json = await cli(['ledger', 'verify', file, '--address', signer.address, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      failure: { kind: 'entry', index, line },
    });
  });

  it('names the head signed by another key', async () => {
    const { lines } = await buildExport({ headSigner: (size) => (size === 120 ? stranger : signer) });
    const file = join(dir, 'bad-signature.ndjson');
    await writeFile(file, lines.join(''));
    const result = await cli(['ledger', 'verify', file, '--address', signer.address]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `head at tree size 120 (line ${headLine(120)}): signature: signature is by ${stranger.address}, not by ${signer.address}`,
    );
  });

  it('names the first head when --address is not the signer', async () => {
    const result = await cli(['ledger', 'verify', good, '--address', stranger.address]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `head at tree size 50 (line ${headLine(50)}): signature: signature is by ${signer.address}`,
    );
  });

  it('checks every anchor on chain: at heads and at a size recomputed from the leaves', async () => {
    const result = await verifyOnChain(good, contract);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(
      `ok: 200 entries, 3 heads, root ${encodeBase64(roots[200])}, sha256; 3 anchors match`,
    );
    const json = await verifyOnChain(good, contract, '--json');
    const report = JSON.parse(json.stdout);
    expect(
      report.anchors.checks.map((c: { treeSize: number; comparedWith: string; status: string }) => [
        c.treeSize,
        c.comparedWith,
        c.status,
      ]),
    ).toEqual([
      [50, 'head', 'match'],
      [80, 'leaves', 'match'],
      [120, 'head', 'match'],
    ]);
    expect(report.anchors.checks[1].rootOnChain).toBe(hexlify(roots[80]));
  });

  it('names the anchor whose root differs from the export', async () => {
    const result = await verifyOnChain(good, wrongContract);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `anchor at tree size 100: root on chain 0x[0-9a-f]{64} differs from the export's root ${hexlify(roots[100])}`,
      ),
    );
  });

  it('warns about anchors past the export, without failing', async () => {
    const { lines } = await buildExport({ size: 100, headSizes: [50, 100] });
    const file = join(dir, 'short.ndjson');
    await writeFile(file, lines.join(''));
    const result = await verifyOnChain(file, contract);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(
      `ok: 100 entries, 2 heads, root ${encodeBase64(roots[100])}, sha256; 2 anchors match, 1 not covered by the export`,
    );
    expect(result.stderr.trim()).toBe(
      "warning: anchor at tree size 120 is past the export's last entry (100 entries): not covered",
    );

    // On the second contract, 100 is anchored with a wrong root: now compared with the head at 100.
    const wrong = await verifyOnChain(file, wrongContract);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('warning: anchor at tree size 150 is past the export');
    expect(wrong.stderr).toMatch(
      /FAILED: anchor at tree size 100: root on chain 0x[0-9a-f]{64} differs from the export's root 0x[0-9a-f]{64} \(signed head on line 103\)/,
    );
  });

  it('exits 2 with a clear message for a missing file and for usage errors', async () => {
    const missing = join(dir, 'no-such-export.ndjson');
    const [result, noAddress, halfChain] = await Promise.all([
      cli(['ledger', 'verify', missing, '--address', signer.address]),
      cli(['ledger', 'verify', good]),
      cli(['ledger', 'verify', good, '--address', signer.address, '--rpc', anvil.rpcUrl]),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${missing}: no such file`);
    expect(result.stdout).toBe('');
    expect(noAddress.code).toBe(2);
    expect(noAddress.stderr).toContain("required option '--address <0x…>' not specified");
    expect(halfChain.code).toBe(2);
    expect(halfChain.stderr).toContain('--rpc and --contract go together');
  });
});
