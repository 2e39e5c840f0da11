import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { isAddress } from 'ethers';
import { AnchorClient, createRpcProvider, type AnchorEvent } from '@app/chain';
import {
  verifyExport,
  type ExportVerdict,
  type HashAlgorithm,
  type VerifiedHead,
  type VerifiedTree,
} from '@app/ledger/core';

/** Where the anchors live: a JSON-RPC node and a ProvenanceAnchor contract on it. */
export interface AnchorSource {
  rpcUrl: string;
  contract: string;
  /** First block scanned for Anchored events (default 0: the whole chain). */
  fromBlock?: number;
  /** Per-request timeout; default 15 s. */
  requestTimeoutMs?: number;
}

export interface VerifyLedgerExportOptions {
  file: string;
  /** The address whose key signs tree heads. */
  address: string;
  /** Checks the export against on-chain anchors; without it nothing touches the network. */
  anchors?: AnchorSource;
}

export interface ExportSummary {
  entries: number;
  heads: number;
  treeSize: number;
  /** Base64 root of the last head. */
  rootHash: string;
  hashAlgorithm: HashAlgorithm;
}

/** One anchor on chain and how it compares with the export. */
export interface AnchorCheck {
  treeSize: number;
  /** 0x hex, as stored on chain. */
  rootOnChain: string;
  /** 0x hex of the export's root at that size; null when the export does not reach that size. */
  exportRoot: string | null;
  /** What the chain root was compared with: a signed head in the export, or the root recomputed from its leaves. */
  comparedWith: 'head' | 'leaves' | null;
  /** Line of the signed head compared with, when there is one. */
  headLine: number | null;
  status: 'match' | 'mismatch' | 'not-covered';
  /** The anchoring transaction, when the Anchored event was found. */
  txHash: string | null;
  blockNumber: number | null;
}

export interface AnchorSummary {
  contract: string;
  matched: number;
  mismatched: number;
  notCovered: number;
  /** Anchors the contract counts but whose events were not found (scan started too late): not checked. */
  notFound: number;
  checks: AnchorCheck[];
}

type ExportFailure = Extract<ExportVerdict, { ok: false }>;

export type LedgerVerifyReport =
  | { ok: true; exitCode: 0; export: ExportSummary; anchors: AnchorSummary | null; warnings: string[] }
  | {
      ok: false;
      exitCode: 1;
      /** The first problem: in the export (file order), or the first anchor (tree size order) that disagrees. */
      failure: ExportFailure | { ok: false; kind: 'anchor'; treeSize: number; reason: string };
      message: string;
      export: ExportSummary | null;
      anchors: AnchorSummary | null;
      warnings: string[];
    }
  | { ok: false; exitCode: 2; kind: 'usage' | 'io' | 'chain'; message: string };

class StopError extends Error {
  constructor(
    readonly kind: 'usage' | 'io' | 'chain',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The regulator's offline check of a ledger export: `verifyExport` over the file, streamed, then
 * (only when `anchors` is given) every anchor of the ProvenanceAnchor contract against the export.
 * Never throws for bad input: the report carries the exit code (0 ok, 1 verification failed,
 * 2 usage, I/O or chain access problem).
 */
export async function verifyLedgerExport(options: VerifyLedgerExportOptions): Promise<LedgerVerifyReport> {
  try {
    return await run(options);
  } catch (error) {
    if (error instanceof StopError)
      return { ok: false, exitCode: 2, kind: error.kind, message: error.message };
    throw error;
  }
}

async function run(options: VerifyLedgerExportOptions): Promise<LedgerVerifyReport> {
  const notAddress = (value: string): boolean => !isAddress(value);
  if (notAddress(options.address))
    throw new StopError('usage', `--address ${options.address} is not an Ethereum address`);
  if (options.anchors && notAddress(options.anchors.contract))
    throw new StopError('usage', `--contract ${options.anchors.contract} is not an Ethereum address`);

  const verdict = await verifyFile(options.file, options.address, options.anchors !== undefined);
  if (!verdict.ok) {
    return {
      ok: false,
      exitCode: 1,
      failure: verdict,
      message: describeExportFailure(verdict),
      export: null,
      anchors: null,
      warnings: [],
    };
  }
  const summary: ExportSummary = {
    entries: verdict.entries,
    heads: verdict.heads,
    treeSize: verdict.treeSize,
    rootHash: verdict.rootHash,
    hashAlgorithm: verdict.hashAlgorithm,
  };
  if (!options.anchors || !verdict.tree)
    return { ok: true, exitCode: 0, export: summary, anchors: null, warnings: [] };

  // The anchors are compared with what the verifier accepted: its heads and the tree of the export's leaves.
  const onChain = await readAnchors(options.anchors, verdict.tree.heads);
  const anchors = await compareAnchors(options.anchors.contract, onChain, verdict.tree, verdict.entries);
  const warnings = anchors.checks
    .filter((check) => check.status === 'not-covered')
    .map(
      (check) =>
        `anchor at tree size ${check.treeSize} is past the export's last entry (${verdict.entries} entries): not covered`,
    );
  if (anchors.notFound > 0) {
    warnings.push(
      `the contract holds ${onChain.onChainCount} anchors but only ${anchors.checks.length} were found ` +
        `(their Anchored events are before --from-block ${options.anchors.fromBlock ?? 0}?): ${anchors.notFound} not checked`,
    );
  }
  const firstBad = anchors.checks.find((check) => check.status === 'mismatch');
  if (firstBad) {
    const reason =
      `root on chain ${firstBad.rootOnChain} differs from the export's root ${firstBad.exportRoot}` +
      (firstBad.comparedWith === 'head'
        ? ` (signed head on line ${firstBad.headLine})`
        : " (recomputed from the export's leaves)");
    return {
      ok: false,
      exitCode: 1,
      failure: { ok: false, kind: 'anchor', treeSize: firstBad.treeSize, reason },
      message: `anchor at tree size ${firstBad.treeSize}: ${reason}`,
      export: summary,
      anchors,
      warnings,
    };
  }
  return { ok: true, exitCode: 0, export: summary, anchors, warnings };
}

/** Streams the file through `verifyExport`; `keepTree` keeps what it verified for the anchor checks. */
async function verifyFile(file: string, address: string, keepTree: boolean): Promise<ExportVerdict> {
  const stream = createReadStream(file);
  try {
    await once(stream, 'ready');
  } catch (error) {
    stream.destroy();
    throw new StopError('io', `cannot read ${file}: ${ioReason(error)}`);
  }
  let readError: unknown;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    } catch (error) {
      readError = error ?? new Error('read failed');
      throw error;
    }
  }
  try {
    return await verifyExport(chunks(), address, { keepTree });
  } catch (error) {
    if (readError !== undefined) throw new StopError('io', `cannot read ${file}: ${ioReason(readError)}`);
    throw error;
  } finally {
    stream.destroy();
  }
}

function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

export function describeExportFailure(failure: ExportFailure): string {
  switch (failure.kind) {
    case 'entry':
      return `entry ${failure.index} (line ${failure.line}): ${failure.reason}`;
    case 'head':
      return Number.isNaN(failure.treeSize)
        ? `head (line ${failure.line}): ${failure.reason}`
        : `head at tree size ${failure.treeSize} (line ${failure.line}): ${failure.reason}`;
    case 'export':
      return `export (line ${failure.line}): ${failure.reason}`;
  }
}

interface OnChainAnchor {
  treeSize: number;
  rootHash: string;
  txHash: string | null;
  blockNumber: number | null;
}

/**
 * Every anchor of the contract: the Anchored events (from `fromBlock`), plus `checkpointAt` at each
 * head's tree size, which reads the contract's storage and so also finds anchors whose events fall
 * before `fromBlock`. Throws `StopError('chain')` when the chain cannot be read.
 */
async function readAnchors(
  source: AnchorSource,
  heads: readonly VerifiedHead[],
): Promise<{ anchors: OnChainAnchor[]; onChainCount: number }> {
  const requestTimeoutMs = source.requestTimeoutMs ?? 15_000;
  const where = `contract ${source.contract} on ${source.rpcUrl}`;
  const chainError = (error: unknown): StopError => {
    const text = error instanceof Error ? error.message : String(error);
    return new StopError('chain', `cannot read the anchors of ${where}: ${text.split('\n')[0]}`);
  };
  const provider = await createRpcProvider({ rpcUrl: source.rpcUrl, requestTimeoutMs }).catch(
    (error: unknown) => {
      throw chainError(error);
    },
  );
  try {
    const code = await provider.getCode(source.contract).catch((error: unknown) => {
      throw chainError(error);
    });
    if (code === '0x')
      throw new StopError('chain', `there is no contract at ${source.contract} on ${source.rpcUrl}`);
  } finally {
    provider.destroy();
  }

  const client = new AnchorClient({ rpcUrl: source.rpcUrl, requestTimeoutMs }).attach(source.contract);
  try {
    const bySize = new Map<number, OnChainAnchor>();
    const events: AnchorEvent[] = await client.listAnchors(source.fromBlock ?? 0);
    for (const event of events) {
      bySize.set(event.treeSize, {
        treeSize: event.treeSize,
        rootHash: event.rootHash.toLowerCase(),
        txHash: event.txHash,
        blockNumber: event.blockNumber,
      });
    }
    for (const head of heads) {
      if (head.treeSize <= 0) continue;
      const checkpoint = await client.checkpointAt(head.treeSize);
      if (!checkpoint) continue;
      const known = bySize.get(head.treeSize);
      if (known && known.rootHash !== checkpoint.rootHash) {
        throw new StopError(
          'chain',
          `${where} is inconsistent at tree size ${head.treeSize}: its Anchored event says ${known.rootHash}, its storage ${checkpoint.rootHash}`,
        );
      }
      if (!known) {
        const { treeSize, rootHash } = checkpoint;
        bySize.set(treeSize, { treeSize, rootHash, txHash: null, blockNumber: null });
      }
    }
    const onChainCount = await client.count();
    return { anchors: [...bySize.values()].sort((a, b) => a.treeSize - b.treeSize), onChainCount };
  } catch (error) {
    if (error instanceof StopError) throw error;
    throw chainError(error);
  } finally {
    await client.close();
  }
}

async function compareAnchors(
  contract: string,
  { anchors, onChainCount }: { anchors: OnChainAnchor[]; onChainCount: number },
  tree: VerifiedTree,
  entries: number,
): Promise<AnchorSummary> {
  const headAt = new Map(tree.heads.map((head) => [head.treeSize, head]));
  const checks: AnchorCheck[] = [];
  for (const anchor of anchors) {
    const base = {
      treeSize: anchor.treeSize,
      rootOnChain: anchor.rootHash,
      txHash: anchor.txHash,
      blockNumber: anchor.blockNumber,
    };
    if (anchor.treeSize > entries) {
      checks.push({ ...base, exportRoot: null, comparedWith: null, headLine: null, status: 'not-covered' });
      continue;
    }
    const head = headAt.get(anchor.treeSize);
    const exportRoot = toHex(head ? head.rootHash : await tree.rootAt(anchor.treeSize));
    checks.push({
      ...base,
      exportRoot,
      comparedWith: head ? 'head' : 'leaves',
      headLine: head ? head.line : null,
      status: exportRoot === anchor.rootHash ? 'match' : 'mismatch',
    });
  }
  const count = (status: AnchorCheck['status']) => checks.filter((c) => c.status === status).length;
  return {
    contract,
    matched: count('match'),
    mismatched: count('mismatch'),
    notCovered: count('not-covered'),
    notFound: Math.max(0, onChainCount - checks.length),
    checks,
  };
}

function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}
