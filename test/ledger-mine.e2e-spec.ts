import fc from 'fast-check';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { UnitOfWork } from '@app/database';
import { HEAD_REUSE_MS, LedgerRecorder, LedgerStore } from '@app/ledger';
import {
  hashLeaf,
  inclusionProof,
  inclusionProofs,
  verifyInclusion,
  verifyTreeHeadSignature,
  type NodeKey,
  type SignedTreeHead,
} from '@app/ledger/core';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: Party;
let buyer: Party;
let signer: string;

const b64 = (s: string) => Buffer.from(s, 'base64');
const hex = (path: readonly Uint8Array[]) => path.map((h) => Buffer.from(h).toString('hex'));

interface MineEntry {
  leafIndex: number;
  leafInput: string;
  actor: { organisationId: string | null };
  subjectIds: string[];
  inclusionPath: string[];
}
interface MinePage {
  treeHead: SignedTreeHead;
  entries: MineEntry[];
  next: number | null;
}

async function record(count: number, subjectId: string): Promise<void> {
  const uow = t.app.get(UnitOfWork);
  const recorder = t.app.get(LedgerRecorder);
  await uow.run((em) =>
    recorder.record(
      em,
      Array.from({ length: count }, (_, i) => ({
        actor: { accountId: null, organisationId: null },
        action: 'test.concerning',
        subjectIds: [subjectId],
        payload: { i },
      })),
    ),
  );
}

/** Every entry of a page is the party's and proves against the page's head, which is a stored, signed head. */
async function checkPage(page: MinePage, organisationId: string): Promise<void> {
  expect(verifyTreeHeadSignature(page.treeHead, signer)).toEqual({ ok: true });
  const stored = await regulator.client.get(`/v1/ledger/sth/${page.treeHead.treeSize}`);
  expect(stored.body).toEqual(page.treeHead);
  for (const entry of page.entries) {
    expect(entry.actor.organisationId === organisationId || entry.subjectIds.includes(organisationId)).toBe(
      true,
    );
    expect(entry.leafIndex).toBeLessThan(page.treeHead.treeSize);
    const verdict = verifyInclusion({
      hashAlgorithm: 'sha256',
      leafIndex: entry.leafIndex,
      treeSize: page.treeHead.treeSize,
      leafHash: hashLeaf('sha256', b64(entry.leafInput)),
      proof: entry.inclusionPath.map(b64),
      rootHash: b64(page.treeHead.rootHash),
    });
    expect(verdict).toEqual({ ok: true });
  }
}

/** Walks every page of /mine with `next`, all against one head (they are asked within the reuse window). */
async function allPages(
  client: HttpClient,
  limit: number,
): Promise<{ pages: MinePage[]; entries: MineEntry[] }> {
  const pages: MinePage[] = [];
  let after: number | null = null;
  for (;;) {
    const reply = await client.get(
      `/v1/ledger/mine?limit=${limit}${after === null ? '' : `&after=${after}`}`,
    );
    expect(reply.status).toBe(200);
    const page = reply.body as MinePage;
    pages.push(page);
    if (page.entries.length === 0) break;
    after = page.next;
  }
  return { pages, entries: pages.flatMap((p) => p.entries) };
}

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = await world.overseer('regulator');
  buyer = await world.party(['buyer'], operator);
  await world.party(['merchant'], operator);
  signer = (await world.anonymous.get('/v1/ledger/key')).body.signerAddress;
  await record(37, buyer.organisationId);
  await record(5, 'someone-else');
  await record(11, buyer.organisationId);
});
afterAll(() => t.close());

describe('GET /v1/ledger/mine', () => {
  it('pages through exactly the party entries its head covers, every proof verifying against that head', async () => {
    t.clock.advance(HEAD_REUSE_MS + 1);
    const { pages, entries } = await allPages(buyer.client, 7);
    const head = pages[0].treeHead;
    for (const page of pages) {
      expect(page.treeHead).toEqual(head);
      await checkPage(page, buyer.organisationId);
    }
    expect(head.treeSize).toBe((await regulator.client.get('/v1/ledger/sth')).body.treeSize);
    // The same entries as the regulator's searches by subject and by actor organisation, within the head.
    const search = async (criteria: string) =>
      ((await regulator.client.get(`/v1/ledger/search?${criteria}&limit=1000`)).body.entries as MineEntry[])
        .map((e) => e.leafIndex)
        .filter((i) => i < head.treeSize);
    const expected = [
      ...new Set([
        ...(await search(`subject=${buyer.organisationId}`)),
        ...(await search(`actorOrganisation=${buyer.organisationId}`)),
      ]),
    ].sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThanOrEqual(3 + 37 + 11);
    expect(entries.map((e) => e.leafIndex)).toEqual(expected);
  });

  it('answers with a head at most a moment old, then one covering what was appended since', async () => {
    t.clock.advance(HEAD_REUSE_MS + 1);
    const before = (await buyer.client.get('/v1/ledger/mine?limit=100')).body as MinePage;
    await record(4, buyer.organisationId);
    const soon = (await buyer.client.get('/v1/ledger/mine?limit=100')).body as MinePage;
    expect(soon).toEqual(before);
    t.clock.advance(HEAD_REUSE_MS + 1);
    const later = (await buyer.client.get('/v1/ledger/mine?limit=100')).body as MinePage;
    expect(later.treeHead.treeSize).toBe(before.treeHead.treeSize + 4);
    expect(later.entries.length).toBe(before.entries.length + 4);
    await checkPage(later, buyer.organisationId);
  });

  it('keeps every head it returns valid and in order while entries are appended in parallel', async () => {
    const seen: MinePage[] = [];
    await Promise.all([
      (async () => {
        for (let i = 0; i < 8; i++) await record(3, buyer.organisationId);
      })(),
      ...Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 8; i++) {
          t.clock.advance(HEAD_REUSE_MS / 2);
          const reply = await buyer.client.get('/v1/ledger/mine?limit=100');
          expect(reply.status).toBe(200);
          seen.push(reply.body as MinePage);
        }
      }),
    ]);
    for (const page of seen) await checkPage(page, buyer.organisationId);
    expect((await regulator.client.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });
});

describe('inclusion proofs of a page from the SQL node store', () => {
  it('equal the per-entry proofs for random tree sizes and pages, from one statement', async () => {
    const orm = t.app.get(LedgerStore);
    const hashAlgorithm = t.app.get<AppConfig>(APP_CONFIG).ledgerHash;
    const size = await orm.size();
    expect(size).toBeGreaterThan(60);
    const store = orm.nodes(hashAlgorithm);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: size }).chain((treeSize) =>
          fc.record({
            treeSize: fc.constant(treeSize),
            leaves: fc.uniqueArray(fc.nat({ max: treeSize - 1 }), { maxLength: 60 }),
          }),
        ),
        async ({ treeSize, leaves }) => {
          const batches: NodeKey[][] = [];
          const counted = {
            ...store,
            getNodes: (keys: readonly NodeKey[]) => {
              batches.push([...keys]);
              return store.getNodes(keys);
            },
          };
          const batched = await inclusionProofs(counted, leaves, treeSize);
          expect(batches).toHaveLength(1);
          for (const [i, leafIndex] of leaves.entries())
            expect(hex(batched[i])).toEqual(hex(await inclusionProof(store, leafIndex, treeSize)));
        },
      ),
      { numRuns: 25 },
    );
  });
});
