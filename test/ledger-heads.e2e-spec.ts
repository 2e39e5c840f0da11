import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ManualClock } from '@app/core';
import { UnitOfWork } from '@app/database';
import { MikroORM } from '@mikro-orm/core';
import { Wallet } from 'ethers';
import { LEDGER_KEY, LedgerRecorder, LedgerStore } from '@app/ledger';
import {
  encodeBase64,
  rootAt,
  signTreeHead,
  verifyExport,
  type ExportVerdict,
  type SignedTreeHead,
} from '@app/ledger/core';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import { HttpClient } from './support/http-client.js';
import { withoutAppendOnly } from './support/tamper.js';
import { createApp } from '../apps/api/src/create-app.js';

let t: TestApp;
let world: World;
let regulator: Party;
let operator: HttpClient;
let readers: HttpClient[];
let signer: string;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  regulator = await world.overseer('regulator');
  operator = await world.operatorProgramme();
  const merchant = await world.party(['merchant'], operator);
  const buyer = await world.party(['buyer'], operator);
  readers = [regulator.client, operator, merchant.client, buyer.client];
  signer = (await world.anonymous.get('/v1/ledger/key')).body.signerAddress;
});
afterAll(() => t.close());

interface HeadLine {
  treeSize: number;
  timestamp: number;
}

async function exportText(): Promise<string> {
  const reply = await fetch(`${t.baseUrl}/v1/ledger/export`, {
    headers: { authorization: `Bearer ${regulator.client.token}` },
  });
  expect(reply.status).toBe(200);
  return reply.text();
}

/** The same credentials, sent to another node. */
function onNode(node: NestFastifyApplication, client: HttpClient): HttpClient {
  const address = node.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new HttpClient(`http://127.0.0.1:${port}`, client.token);
}

const headsOf = (text: string): HeadLine[] =>
  text
    .split('\n')
    .filter((line) => line.includes('"type":"sth"'))
    .map((line) => JSON.parse(line) as HeadLine);

/** `count` appended entries, committed in one transaction like a use case's. */
function append(i: number, count = 1): Promise<unknown> {
  return t.app.get(UnitOfWork).run((em) =>
    t.app.get(LedgerRecorder).record(
      em,
      Array.from({ length: count }, (_, n) => ({
        actor: { accountId: null, organisationId: null },
        action: 'test.appended',
        subjectIds: [`h${i}.${n}`],
        payload: { i, n },
      })),
    ),
  );
}

describe('signed tree heads', () => {
  it('are issued in size and time order under parallel requests of every role while the ledger grows', async () => {
    // Time passes as on a server: every reading of a clock is a little later than the one before. On PostgreSQL a
    // second API node shares the database, its clock 50 ms behind the first (NTP keeps nodes close, not equal).
    const read = t.clock.now.bind(t.clock);
    t.clock.now = () => {
      t.clock.advance(1);
      return read();
    };
    let second: NestFastifyApplication | undefined;
    const nodes = [t.app];
    if (t.database.kind === 'postgresql') {
      const lagging = new ManualClock(new Date(read().getTime() - 50));
      const readLagging = lagging.now.bind(lagging);
      lagging.now = () => {
        lagging.advance(1);
        return readLagging();
      };
      second = await createApp(t.config, lagging);
      await second.listen({ port: 0, host: '127.0.0.1' });
      nodes.push(second);
    }
    const clients = nodes.flatMap((node) => readers.map((reader) => onNode(node, reader)));
    // A regulator's or operator's search is itself recorded in the ledger (DS 16): these readers grow it.
    const writers = nodes.flatMap((node) => [onNode(node, regulator.client), onNode(node, operator)]);
    try {
      await Promise.all([
        ...Array.from({ length: 4 }, async (_, loop) => {
          for (let i = 0; i < 20; i++) {
            const reply = await writers[(loop + i) % writers.length].get('/v1/ledger/search?limit=1');
            expect(reply.status).toBe(200);
          }
        }),
        ...Array.from({ length: 8 }, async (_, loop) => {
          for (let i = 0; i < 20; i++) {
            const reply = await clients[(loop + i) % clients.length].get('/v1/ledger/sth');
            expect(reply.status).toBe(200);
          }
        }),
      ]);
    } finally {
      t.clock.now = read;
      await second?.close();
    }
    const text = await exportText();
    const heads = headsOf(text);
    expect(heads.length).toBeGreaterThan(6);
    for (let i = 1; i < heads.length; i++) {
      expect(heads[i].treeSize).toBeGreaterThan(heads[i - 1].treeSize);
      expect(heads[i].timestamp).toBeGreaterThanOrEqual(heads[i - 1].timestamp);
    }
    expect(await verifyExport(text, signer)).toMatchObject({ ok: true });
    expect((await regulator.client.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });

  it('never carry a time before the previous head, even when the clock steps back', async () => {
    const before = (await regulator.client.get('/v1/ledger/sth')).body;
    t.clock.advance(-3_600_000);
    await append(-1);
    const after = (await regulator.client.get('/v1/ledger/sth')).body;
    t.clock.advance(3_600_000);
    expect(after.treeSize).toBeGreaterThan(before.treeSize);
    expect(after.timestamp).toBeGreaterThanOrEqual(before.timestamp);
    expect(await verifyExport(await exportText(), signer)).toMatchObject({ ok: true });
  });
});

describe('/v1/ledger/verify and the offline verifier', () => {
  const sql = (query: string, params: unknown[] = []) =>
    t.app.get(MikroORM).em.getConnection().execute(query, params);

  /** A head written straight into the database, as someone with access to it (or a faulty signer) could. */
  async function plantHead(head: Omit<SignedTreeHead, 'signature'>, key: Wallet): Promise<void> {
    const signed = await signTreeHead(key, head);
    await sql(
      'insert into "ledger_heads" ("tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature", "signer") values (?, ?, ?, ?, ?, ?)',
      [
        signed.treeSize,
        Buffer.from(signed.rootHash, 'base64').toString('hex'),
        signed.timestamp,
        signed.hashAlgorithm,
        signed.signature,
        key.address,
      ],
    );
  }

  const rootOf = async (treeSize: number) =>
    encodeBase64(await rootAt(t.app.get(LedgerStore).nodes('sha256'), treeSize));

  /** Both verdicts on the ledger as it is now: the API's, and the offline verifier's on the export. */
  async function bothVerdicts() {
    const offline: ExportVerdict = await verifyExport(await exportText(), signer);
    const api = (await regulator.client.get('/v1/ledger/verify')).body;
    const asApi = offline.ok
      ? {
          ok: true,
          entries: offline.entries,
          heads: offline.heads,
          treeSize: offline.treeSize,
          rootHash: offline.rootHash,
        }
      : offline.kind === 'entry'
        ? { ok: false, kind: 'entry', leafIndex: offline.index, reason: offline.reason }
        : offline.kind === 'head'
          ? { ok: false, kind: 'head', treeSize: offline.treeSize, reason: offline.reason }
          : { ok: false, kind: 'export', reason: offline.reason };
    expect(api).toMatchObject(asApi);
    return api as { ok: boolean; kind?: string; leafIndex?: number; treeSize?: number; reason?: string };
  }

  it('agree on every export: sound, then each damage named by both, the earliest first', async () => {
    expect(await bothVerdicts()).toMatchObject({ ok: true });

    const key = t.app.get<Wallet>(LEDGER_KEY);
    const newest = (await regulator.client.get('/v1/ledger/sth')).body as SignedTreeHead;
    const n = newest.treeSize;
    await append(1000, 6);
    const at = async (treeSize: number, timestamp = newest.timestamp) => ({
      treeSize,
      rootHash: await rootOf(treeSize),
      timestamp,
      hashAlgorithm: 'sha256' as const,
    });

    // The case: a larger head with an earlier time than its predecessor.
    await plantHead(await at(n + 5, newest.timestamp - 1000), key);
    expect(await bothVerdicts()).toMatchObject({
      ok: false,
      kind: 'head',
      treeSize: n + 5,
      reason: 'timestamp is earlier than the previous head',
    });

    await plantHead({ ...(await at(n + 4)), rootHash: await rootOf(n + 3) }, key);
    expect(await bothVerdicts()).toMatchObject({
      ok: false,
      kind: 'head',
      treeSize: n + 4,
      reason: 'rootHash is not the root of the exported entries',
    });

    const stranger = new Wallet(`0x${'43'.repeat(32)}`);
    await plantHead(await at(n + 3), stranger);
    expect(await bothVerdicts()).toMatchObject({
      ok: false,
      kind: 'head',
      treeSize: n + 3,
      reason: expect.stringContaining(`signature is by ${stranger.address}`),
    });

    const victim = n + 1;
    const [row] = await sql('select "leaf_input" from "ledger_entries" where "leaf_index" = ?', [victim]);
    const changed = (row.leaf_input as string).replace('"test.appended"', '"test.amended"');
    await withoutAppendOnly(t, () =>
      sql('update "ledger_entries" set "leaf_input" = ? where "leaf_index" = ?', [changed, victim]),
    );
    expect(await bothVerdicts()).toMatchObject({ ok: false, kind: 'entry', leafIndex: victim });
  });
});
