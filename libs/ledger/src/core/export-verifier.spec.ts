import { Wallet } from 'ethers';
import { encodeBase64 } from './base64.js';
import {
  exportEntryLine,
  exportHeaderLine,
  exportHeadLine,
  formatExportLine,
  storedEntryLine,
  type ExportLine,
} from './export-format.js';
import {
  verifyExport as verifyOnOneThread,
  verifyExportLines,
  type VerifyExportOptions,
} from './export-verifier.js';
import { ExportWorkerPool } from './export-worker-pool.js';
import { hashLeaf, type HashAlgorithm } from './hash-algorithm.js';
import { encodeLeafInput } from './leaf-encoding.js';
import type { LedgerEntry } from './ledger-entry.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { appendLeaves, merkleTreeHash, rootAt } from './merkle-tree.js';
import { signTreeHead, type SignedTreeHead } from './tree-head.js';

const wallet = new Wallet('0x' + '33'.repeat(32));

function sampleEntry(index: number): LedgerEntry {
  return {
    index,
    time: new Date(Date.UTC(2025, 0, 1) + index * 1000).toISOString(),
    actor:
      index % 5 === 0
        ? { accountId: null, organisationId: null }
        : { accountId: `acc_${index % 7}`, organisationId: `org_${index % 3}` },
    action: index % 2 ? 'account.roleGranted' : 'dataElement.listed',
    subjectIds: [`s_${index}`],
    payload: { n: index, note: index % 4 ? 'plain' : 'ünïcødé ✓', tags: ['a', index % 3 === 0] },
  };
}

/** An export of `size` entries with a head after each size in `headSizes` (ascending). */
async function buildExport(
  size: number,
  headSizes: number[],
  algorithm: HashAlgorithm = 'sha256',
): Promise<string[]> {
  const store = new MemoryNodeStore(algorithm);
  const lines: ExportLine[] = [exportHeaderLine(algorithm)];
  const heads: number[] = [...headSizes];
  for (let i = 0; i <= size; i++) {
    while (heads.length > 0 && heads[0] === i) {
      heads.shift();
      const rootHash = encodeBase64(await rootAt(store, i));
      lines.push(
        exportHeadLine(
          await signTreeHead(wallet, {
            treeSize: i,
            rootHash,
            timestamp: 1_750_000_000_000 + i,
            hashAlgorithm: algorithm,
          }),
        ),
      );
    }
    if (i === size) break;
    const entry = sampleEntry(i);
    const leafInput = encodeLeafInput(entry);
    await appendLeaves(store, i, [hashLeaf(algorithm, leafInput)]);
    lines.push(exportEntryLine(entry, leafInput));
  }
  return lines.map(formatExportLine);
}

const text = (lines: string[]): string => lines.join('');

// Every verdict must be the same on one thread and with worker threads. In the worker mode, input is
// given as bytes (text stays on the calling thread) in chunks of about two lines, so chunk
// boundaries fall between all kinds of lines and most chunks go to the workers. The single-byte
// damage test changes every byte on one thread and every fifth in the worker mode: a run there costs
// a round trip through the pool, and on a slow CI machine the full sweep took over a minute.
const pool = new ExportWorkerPool(2);
beforeAll(() => pool.ready);
afterAll(() => pool.close());

const MODES: [string, VerifyExportOptions | undefined, number][] = [
  ['one thread', { workers: 0 }, 1],
  ['worker threads', { pool, chunkBytes: 700 }, 5],
];

describe.each(MODES)('verifyExport (%s)', (mode, options, byteStride) => {
  const verifyExport = (source: Parameters<typeof verifyOnOneThread>[0], address: string) =>
    verifyOnOneThread(
      mode === 'one thread' || typeof source !== 'string' ? source : Buffer.from(source),
      address,
      options,
    );
  let lines: string[];
  beforeAll(async () => {
    lines = await buildExport(40, [0, 1, 8, 13, 13, 32, 40]);
  });

  it('accepts a valid export, heads interleaved', async () => {
    expect(await verifyExport(text(lines), wallet.address)).toMatchObject({
      ok: true,
      entries: 40,
      heads: 7,
      treeSize: 40,
      hashAlgorithm: 'sha256',
    });
  });

  it('accepts a valid SM3 export with all heads at the end', async () => {
    const sm3 = await buildExport(20, [5, 20], 'sm3');
    const headsLast = [
      ...sm3.filter((l) => !l.includes('"type":"sth"')),
      ...sm3.filter((l) => l.includes('"type":"sth"')),
    ];
    expect(headsLast).not.toEqual(sm3);
    expect(await verifyExport(text(headsLast), wallet.address)).toMatchObject({
      ok: true,
      heads: 2,
      hashAlgorithm: 'sm3',
    });
  });

  it('returns what it verified with keepTree: the first head at each size with its line, and the root at any size', async () => {
    const verdict = await verifyOnOneThread(
      mode === 'one thread' ? text(lines) : Buffer.from(text(lines)),
      wallet.address,
      { ...options, keepTree: true },
    );
    if (!verdict.ok || !verdict.tree) throw new Error(`expected a kept tree: ${JSON.stringify(verdict)}`);
    const headLines = lines.flatMap((line, i) =>
      line.includes('"type":"sth"') ? [{ treeSize: JSON.parse(line).treeSize as number, line: i + 1 }] : [],
    );
    const firstAtEachSize = headLines.filter((h, i) => i === 0 || headLines[i - 1].treeSize !== h.treeSize);
    expect(verdict.tree.heads.map(({ treeSize, line }) => ({ treeSize, line }))).toEqual(firstAtEachSize);
    const leaves = Array.from({ length: 40 }, (_, i) => hashLeaf('sha256', encodeLeafInput(sampleEntry(i))));
    for (const size of [0, 1, 7, 13, 33, 40])
      expect(await verdict.tree.rootAt(size)).toEqual(merkleTreeHash('sha256', leaves.slice(0, size)));
    await expect(verdict.tree.rootAt(41)).rejects.toThrow(/outside the verified/);
    expect((await verifyExport(text(lines), wallet.address)) as object).not.toHaveProperty('tree');
  });

  it('accepts any chunking of the byte stream, including splits inside characters', async () => {
    const bytes = Buffer.from(text(lines));
    for (const chunkSize of [1, 7, 64, 4096]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) =>
        bytes.subarray(i * chunkSize, (i + 1) * chunkSize),
      );
      expect(await verifyExport(chunks, wallet.address)).toMatchObject({ ok: true, entries: 40 });
    }
  });

  it('accepts parsed lines', async () => {
    expect(
      await verifyExportLines(
        lines.map((l) => JSON.parse(l) as unknown),
        wallet.address,
      ),
    ).toMatchObject({ ok: true, entries: 40 });
  });

  it('names exactly the entry when any single byte of it changes', async () => {
    // One head at the end, so every run stops at the damaged entry without signature checks.
    const lines = await buildExport(24, [24]);
    const target = 17;
    const lineIndex = lines.findIndex((l) => l.startsWith(`{"type":"entry","leafIndex":${target},`));
    const original = Buffer.from(lines[lineIndex]);
    const wrong: string[] = [];
    // Every byte of the line except the newline, each changed two ways.
    for (let at = 0; at < original.length - 1; at += byteStride) {
      for (const change of [(b: number) => b ^ 0x01, (b: number) => (b === 0x7a ? 0x79 : 0x7a)]) {
        const damaged = Buffer.from(original);
        damaged[at] = change(damaged[at]);
        const verdict = await verifyExport(
          Buffer.concat(lines.map((l, i) => (i === lineIndex ? damaged : Buffer.from(l)))),
          wallet.address,
        );
        const ok =
          !verdict.ok &&
          verdict.kind === 'entry' &&
          verdict.index === target &&
          verdict.line === lineIndex + 1;
        if (!ok) wrong.push(`byte ${at} (${String.fromCharCode(original[at])}): ${JSON.stringify(verdict)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the head whose signature was tampered with', async () => {
    const lineIndex = lines.findIndex((l) => l.includes('"type":"sth","treeSize":13'));
    const head = JSON.parse(lines[lineIndex]) as SignedTreeHead;
    const sig = head.signature;
    const tampered = [...lines];
    tampered[lineIndex] = formatExportLine({
      type: 'sth',
      ...head,
      signature: sig.slice(0, 20) + (sig[20] === '0' ? '1' : '0') + sig.slice(21),
    });
    const verdict = await verifyExport(text(tampered), wallet.address);
    expect(verdict).toMatchObject({ ok: false, kind: 'head', treeSize: 13, line: lineIndex + 1 });
  });

  it('names the head when verified against another signer', async () => {
    expect(await verifyExport(text(lines), new Wallet('0x' + '44'.repeat(32)).address)).toMatchObject({
      ok: false,
      kind: 'head',
      treeSize: 0,
      line: 2,
    });
  });

  it('names a head signed correctly over a wrong root', async () => {
    const lineIndex = lines.findIndex((l) => l.includes('"type":"sth","treeSize":32'));
    const head = JSON.parse(lines[lineIndex]) as SignedTreeHead;
    const forged = await signTreeHead(wallet, { ...head, rootHash: Buffer.alloc(32, 1).toString('base64') });
    const tampered = [...lines];
    tampered[lineIndex] = formatExportLine(exportHeadLine(forged));
    expect(await verifyExport(text(tampered), wallet.address)).toMatchObject({
      ok: false,
      kind: 'head',
      treeSize: 32,
      reason: expect.stringMatching(/root/),
    });
  });

  it('names the earliest genuine head that a rewritten, re-signed history breaks', async () => {
    // Rewrite entry 3 consistently (fields and leafInput), and re-sign only the last head over the new tree.
    const rewritten = await buildExport(40, [40]);
    const entryLine = rewritten.findIndex((l) => l.startsWith('{"type":"entry","leafIndex":3,'));
    const changed = { ...sampleEntry(3), payload: { n: 'rewritten' } };
    rewritten[entryLine] = formatExportLine(exportEntryLine(changed));
    const store = new MemoryNodeStore('sha256');
    const leafHashes = rewritten
      .filter((l) => l.includes('"type":"entry"'))
      .map((l) =>
        hashLeaf('sha256', Buffer.from((JSON.parse(l) as { leafInput: string }).leafInput, 'base64')),
      );
    await appendLeaves(store, 0, leafHashes);
    const resigned = await signTreeHead(wallet, {
      treeSize: 40,
      rootHash: encodeBase64(await rootAt(store, 40)),
      timestamp: 1_760_000_000_000,
      hashAlgorithm: 'sha256',
    });
    // Keep an earlier genuine head of size 8 that covers entry 3.
    const earlierHead = lines.find((l) => l.includes('"type":"sth","treeSize":8'))!;
    const exportLines = [
      rewritten[0],
      ...rewritten.slice(1, 41),
      earlierHead,
      formatExportLine(exportHeadLine(resigned)),
    ];
    const verdict = await verifyExport(text(exportLines), wallet.address);
    // The earlier genuine head no longer matches the rewritten entries: it is named, not the re-signed one.
    expect(verdict).toMatchObject({ ok: false, kind: 'head', treeSize: 8 });
  });

  it.each<[string, (l: string[]) => string[], Record<string, unknown>]>([
    [
      'a missing entry',
      (l) => l.filter((x) => !x.startsWith('{"type":"entry","leafIndex":5,')),
      { kind: 'entry', index: 5 },
    ],
    [
      'swapped entries',
      (l) => {
        const c = [...l];
        const i = c.findIndex((x) => x.startsWith('{"type":"entry","leafIndex":9,'));
        [c[i], c[i + 1]] = [c[i + 1], c[i]];
        return c;
      },
      { kind: 'entry', index: 9 },
    ],
    ['no header', (l) => l.slice(1), { kind: 'export', line: 1 }],
    ['no head', (l) => l.filter((x) => !x.includes('"type":"sth"')), { kind: 'export' }],
    [
      'entries after the last head',
      (l) => [...l, formatExportLine(exportEntryLine(sampleEntry(40)))],
      { kind: 'entry', index: 40 },
    ],
    [
      'a head before the entries it covers',
      (l) => {
        const c = [...l];
        const i = c.findIndex((x) => x.includes('"type":"sth","treeSize":8'));
        const [h] = c.splice(i, 1);
        c.splice(i - 2, 0, h);
        return c;
      },
      { kind: 'head', treeSize: 8 },
    ],
    [
      'heads out of order',
      (l) => {
        const h32 = l.find((x) => x.includes('"treeSize":32'))!;
        return [...l, h32];
      },
      { kind: 'head', treeSize: 32 },
    ],
    [
      'an extra property on an entry',
      (l) =>
        l.map((x) => x.replace('{"type":"entry","leafIndex":2,', '{"type":"entry","leafIndex":2,"note":1,')),
      { kind: 'entry', index: 2 },
    ],
    [
      'an unknown line type',
      (l) => [...l.slice(0, 3), '{"type":"comment"}\n', ...l.slice(3)],
      { kind: 'entry', index: 1, line: 4 },
    ],
  ])('reports %s', async (_, mutate, expected) => {
    expect(await verifyExport(text(mutate(lines)), wallet.address)).toMatchObject({ ok: false, ...expected });
  });
});

describe('verifyExport with worker threads', () => {
  it('hands chunks to the pool and agrees with one thread', async () => {
    const lines = await buildExport(120, [50, 120]);
    const original = pool.verify.bind(pool);
    let calls = 0;
    pool.verify = (...args) => {
      calls += 1;
      return original(...args);
    };
    try {
      const threaded = await verifyOnOneThread(Buffer.from(text(lines)), wallet.address, {
        pool,
        chunkBytes: 1000,
      });
      expect(calls).toBeGreaterThan(10);
      expect(threaded).toEqual(await verifyOnOneThread(text(lines), wallet.address, { workers: 0 }));
      expect(threaded).toMatchObject({ ok: true, entries: 120, heads: 2 });
    } finally {
      pool.verify = original;
    }
  });

  it('starts and stops its own pool for an input over one chunk', async () => {
    const lines = await buildExport(300, [100, 300]);
    const bytes = Buffer.from(text(lines));
    const pieces = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) =>
      bytes.subarray(i * 4096, (i + 1) * 4096),
    );
    expect(await verifyOnOneThread(pieces, wallet.address, { workers: 2, chunkBytes: 2048 })).toMatchObject({
      ok: true,
      entries: 300,
      heads: 2,
    });
    const damaged = text(lines).replace('"leafIndex":250,', '"leafIndex":250 ,"x":1,');
    expect(
      await verifyOnOneThread(Buffer.from(damaged), wallet.address, { workers: 2, chunkBytes: 2048 }),
    ).toMatchObject({
      ok: false,
      kind: 'entry',
      index: 250,
      line: lines.findIndex((l) => l.includes('"leafIndex":250,')) + 1,
    });
  });
});

describe('storedEntryLine', () => {
  it('exports a sound stored entry exactly as exportEntryLine does, with the tree leaf hash', () => {
    const entry = sampleEntry(3);
    const leafInput = encodeLeafInput(entry);
    const leafHash = hashLeaf('sha256', leafInput);
    expect(storedEntryLine(3, leafInput, leafHash)).toEqual({
      ...exportEntryLine(entry, leafInput),
      leafHash: encodeBase64(leafHash),
    });
  });

  it('carries a damaged entry as stored, so the verifier names it', async () => {
    const lines = await buildExport(6, [6]);
    const entry = sampleEntry(2);
    const original = encodeLeafInput(entry);
    const damaged = Buffer.from(Buffer.from(original).toString('utf8').replace('"s_2"', '"s_9"'));
    const unreadable = Buffer.from('not json at all');
    for (const stored of [damaged, unreadable]) {
      lines[3] = formatExportLine(storedEntryLine(2, stored, hashLeaf('sha256', original)));
      expect(await verifyOnOneThread(text(lines), wallet.address)).toMatchObject({
        ok: false,
        kind: 'entry',
        index: 2,
        line: 4,
      });
    }
  });
});
