// Synthetic export files for the benchmark: realistic entry shapes, heads every 10% of the log.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Signer } from 'ethers';
import {
  appendLeaves,
  encodeBase64,
  encodeLeafInput,
  exportEntryLine,
  exportHeaderLine,
  exportHeadLine,
  formatExportLine,
  hashLeaf,
  MemoryNodeStore,
  rootAt,
  signTreeHead,
  verifyExport,
  type ExportVerdict,
  type HashAlgorithm,
  type LedgerEntry,
} from '@app/ledger/core';

const ACTIONS = [
  'account.roleGranted',
  'dataElement.listed',
  'contract.signed',
  'escrow.released',
  'negotiation.offered',
];

export function syntheticEntry(index: number): LedgerEntry {
  return {
    index,
    time: new Date(Date.UTC(2025, 0, 1) + index * 37).toISOString(),
    actor:
      index % 10 === 0
        ? { accountId: null, organisationId: null }
        : { accountId: `acc_${index % 997}`, organisationId: `org_${index % 89}` },
    action: ACTIONS[index % ACTIONS.length],
    subjectIds: [`el_${index % 50_021}`, `ct_${index % 7_919}`],
    payload: { amount: (index * 7) % 10_000, currency: 'CNY', reference: `ref-${index.toString(36)}` },
  };
}

/** Writes an NDJSON export of `n` synthetic entries with a signed head after every tenth of them. */
export async function writeSyntheticExport(
  path: string,
  n: number,
  wallet: Pick<Signer, 'signTypedData'>,
  algorithm: HashAlgorithm,
): Promise<void> {
  const out = createWriteStream(path);
  const store = new MemoryNodeStore(algorithm);
  const headEvery = Math.max(1, Math.ceil(n / 10));
  let buffer = formatExportLine(exportHeaderLine(algorithm));
  let hashes: Uint8Array[] = [];
  const flush = async (): Promise<void> => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  for (let i = 0; i < n; i++) {
    const entry = syntheticEntry(i);
    const leafInput = encodeLeafInput(entry);
    hashes.push(hashLeaf(algorithm, leafInput));
    buffer += formatExportLine(exportEntryLine(entry, leafInput));
    if (buffer.length > 1 << 20) await flush();
    if ((i + 1) % headEvery === 0 || i === n - 1) {
      await appendLeaves(store, await store.size(), hashes);
      hashes = [];
      const rootHash = encodeBase64(await rootAt(store, i + 1));
      const head = await signTreeHead(wallet, {
        treeSize: i + 1,
        rootHash,
        timestamp: 1_750_000_000_000 + i,
        hashAlgorithm: algorithm,
      });
      buffer += formatExportLine(exportHeadLine(head));
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

export async function verifyExportFile(path: string, signerAddress: string): Promise<ExportVerdict> {
  return verifyExport(createReadStream(path, { highWaterMark: 1 << 20 }), signerAddress);
}
