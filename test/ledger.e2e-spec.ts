import { MikroORM } from '@mikro-orm/core';
import { Readable } from 'node:stream';
import { UnitOfWork } from '@app/database';
import { LedgerRecorder } from '@app/ledger';
import {
  hashLeaf,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
  verifyTreeHeadSignature,
} from '@app/ledger/core';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { withoutAppendOnly } from './support/tamper.js';

let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: Party;
let buyer: Party;
let signer: string;

const sql = (query: string, params: unknown[] = []) =>
  t.app.get(MikroORM).em.getConnection().execute(query, params);
const b64 = (s: string) => Buffer.from(s, 'base64');

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = await world.overseer('regulator');
  buyer = await world.party(['buyer'], operator);
  await world.party(['merchant'], operator);
  signer = (await world.anonymous.get('/v1/ledger/key')).body.signerAddress;
});
afterAll(() => t.close());

describe('signed tree heads and proofs', () => {
  it('publishes the signing address and signs the newest head with it', async () => {
    const key = await world.anonymous.get('/v1/ledger/key');
    expect(key.body).toMatchObject({
      signerAddress: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      primaryType: 'TreeHead',
      domain: { name: 'DataExchangeLedger', version: '1' },
      hashAlgorithm: 'sha256',
    });
    const sth = await regulator.client.get('/v1/ledger/sth');
    expect(sth.status).toBe(200);
    expect(sth.body).toMatchObject({
      treeSize: expect.any(Number),
      hashAlgorithm: 'sha256',
      timestamp: expect.any(Number),
    });
    expect(sth.body.treeSize).toBeGreaterThan(5);
    expect(verifyTreeHeadSignature(sth.body, signer)).toEqual({ ok: true });
    expect((await regulator.client.get(`/v1/ledger/sth/${sth.body.treeSize}`)).body).toEqual(sth.body);
    expect((await regulator.client.get('/v1/ledger/sth/999999')).status).toBe(404);
  });

  it('proves every entry included in the head, and the head consistent with an earlier one', async () => {
    const earlier = (await regulator.client.get('/v1/ledger/sth')).body;
    await world.party(['buyer'], operator);
    const later = (await regulator.client.get('/v1/ledger/sth')).body;
    expect(later.treeSize).toBeGreaterThan(earlier.treeSize);
    const { entries } = (await regulator.client.get(`/v1/ledger/entries?start=0&end=${later.treeSize - 1}`))
      .body;
    expect(entries.map((e: { leafIndex: number }) => e.leafIndex)).toEqual([...Array(later.treeSize).keys()]);
    for (const entry of entries) {
      const proof = (
        await buyer.client.get(
          `/v1/ledger/proof/inclusion?leafIndex=${entry.leafIndex}&treeSize=${later.treeSize}`,
        )
      ).body;
      const claim = {
        hashAlgorithm: 'sha256' as const,
        leafIndex: entry.leafIndex,
        treeSize: later.treeSize,
        leafHash: hashLeaf('sha256', b64(entry.leafInput)),
        proof: proof.inclusionPath.map(b64),
        rootHash: b64(later.rootHash),
      };
      expect(verifyInclusion(claim)).toEqual({ ok: true });
      expect(verifyInclusion({ ...claim, rootHash: b64(earlier.rootHash) }).ok).toBe(false);
    }
    const consistency = (
      await buyer.client.get(
        `/v1/ledger/proof/consistency?first=${earlier.treeSize}&second=${later.treeSize}`,
      )
    ).body;
    expect(
      verifyConsistency({
        hashAlgorithm: 'sha256',
        first: earlier.treeSize,
        second: later.treeSize,
        firstRoot: b64(earlier.rootHash),
        secondRoot: b64(later.rootHash),
        proof: consistency.consistencyPath.map(b64),
      }),
    ).toEqual({ ok: true });
  });

  it('refuses proofs past the tree and malformed ranges with 400', async () => {
    const size = (await regulator.client.get('/v1/ledger/sth')).body.treeSize;
    for (const path of [
      `/v1/ledger/proof/inclusion?leafIndex=0&treeSize=${size + 1000}`,
      `/v1/ledger/proof/inclusion?leafIndex=${size}&treeSize=${size}`,
      '/v1/ledger/proof/consistency?first=5&second=2',
      '/v1/ledger/proof/inclusion?leafIndex=-1&treeSize=3',
      '/v1/ledger/entries?start=5&end=2',
      '/v1/ledger/entries?start=0&end=5000',
      '/v1/ledger/entries?start=abc&end=2',
    ]) {
      const reply = await regulator.client.get(path);
      expect([path, reply.status]).toEqual([path, 400]);
    }
  });
});

describe('who reads what', () => {
  it('keeps the full ledger to regulators and operators, and records their reads', async () => {
    expect((await buyer.client.get('/v1/ledger/entries?start=0&end=3')).status).toBe(403);
    expect((await buyer.client.get('/v1/ledger/export')).status).toBe(403);
    expect((await buyer.client.get('/v1/ledger/search?action=session.started')).status).toBe(403);
    await regulator.client.get('/v1/ledger/entries?start=0&end=3');
    const reads = await regulator.client.get(
      `/v1/ledger/search?action=ledger.read&actor=${regulator.accountId}`,
    );
    expect(reads.body.entries.length).toBeGreaterThanOrEqual(1);
    const payloads = reads.body.entries.map((e: { payload: unknown }) => e.payload);
    expect(payloads).toContainEqual({ route: 'entries', start: 0, end: 3 });
    expect(payloads.at(-1)).toMatchObject({ route: 'search', action: 'ledger.read' });
  });

  it('gives a party its own entries only, each with a proof against the head it returns', async () => {
    const mine = (await buyer.client.get('/v1/ledger/mine')).body;
    expect(mine.entries.length).toBeGreaterThanOrEqual(3);
    for (const entry of mine.entries) {
      const involved =
        entry.actor.organisationId === buyer.organisationId ||
        entry.subjectIds.includes(buyer.organisationId);
      expect(involved).toBe(true);
      const ok = verifyInclusion({
        hashAlgorithm: 'sha256',
        leafIndex: entry.leafIndex,
        treeSize: mine.treeHead.treeSize,
        leafHash: hashLeaf('sha256', b64(entry.leafInput)),
        proof: entry.inclusionPath.map(b64),
        rootHash: b64(mine.treeHead.rootHash),
      });
      expect(ok).toEqual({ ok: true });
    }
    expect(mine.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['organisation.registered', 'organisation.admitted', 'session.started']),
    );
  });

  it('searches by subject, action and time, paging with after', async () => {
    const bySubject = (await regulator.client.get(`/v1/ledger/search?subject=${buyer.organisationId}`)).body
      .entries;
    expect(bySubject.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'organisation.registered',
      'account.created',
      'organisation.admitted',
    ]);
    const first = (await regulator.client.get('/v1/ledger/search?action=account.created&limit=1')).body;
    const second = (
      await regulator.client.get(`/v1/ledger/search?action=account.created&limit=1&after=${first.next}`)
    ).body;
    expect(second.entries[0].leafIndex).toBeGreaterThan(first.entries[0].leafIndex);
    const future = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    expect((await regulator.client.get(`/v1/ledger/search?from=${future}`)).body.entries).toEqual([]);
    expect((await regulator.client.get('/v1/ledger/search?from=yesterday')).status).toBe(400);
  });
});

describe('export and verification', () => {
  it('exports the whole ledger with its heads in a form the offline verifier accepts', async () => {
    const reply = await fetch(`${t.baseUrl}/v1/ledger/export`, {
      headers: { authorization: `Bearer ${regulator.client.token}` },
    });
    expect(reply.headers.get('content-type')).toMatch(/ndjson/);
    const text = await reply.text();
    const verdict = await verifyExport(Readable.from([text]), signer);
    expect(verdict).toMatchObject({ ok: true, hashAlgorithm: 'sha256' });
    const exported = await regulator.client.get(
      `/v1/ledger/search?action=ledger.exported&actor=${regulator.accountId}`,
    );
    expect(exported.body.entries).toHaveLength(1);
  });

  it('reports a healthy ledger as verified', async () => {
    expect((await regulator.client.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });

  it('refuses UPDATE and DELETE of entries, nodes and heads in the database itself', async () => {
    for (const statement of [
      'update "ledger_entries" set "action" = \'x.y\' where "leaf_index" = 0',
      'delete from "ledger_entries" where "leaf_index" = 0',
      'update "ledger_nodes" set "hash" = \'00\' where "level" = 0 and "node_index" = 0',
      'delete from "ledger_subjects"',
      'delete from "ledger_heads"',
    ]) {
      await expect(sql(statement)).rejects.toThrow(/append-only/);
    }
  });

  it('gives concurrent appends distinct, gap-free indexes', async () => {
    const uow = t.app.get(UnitOfWork);
    const recorder = t.app.get(LedgerRecorder);
    const before = (await regulator.client.get('/v1/ledger/sth')).body.treeSize;
    const written = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        uow.run((em) =>
          recorder.record(em, [
            {
              actor: { accountId: null, organisationId: null },
              action: 'test.appended',
              subjectIds: [`c${i}`],
              payload: { i },
            },
          ]),
        ),
      ),
    );
    const indexes = written
      .flat()
      .map((e) => e.index)
      .sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 40 }, (_, i) => before + i));
    expect((await regulator.client.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });

  it('names exactly the entry whose stored bytes were changed behind the application', async () => {
    const size = (await regulator.client.get('/v1/ledger/sth')).body.treeSize;
    const victim = Math.floor(size / 2);
    const [row] = await sql('select "leaf_input" from "ledger_entries" where "leaf_index" = ?', [victim]);
    const original = row.leaf_input as string;
    const at = original.indexOf('"action":"') + '"action":"'.length;
    const changed = original.slice(0, at) + (original[at] === 'a' ? 'b' : 'a') + original.slice(at + 1);
    await withoutAppendOnly(t, () =>
      sql('update "ledger_entries" set "leaf_input" = ? where "leaf_index" = ?', [changed, victim]),
    );

    const verdict = (await regulator.client.get('/v1/ledger/verify')).body;
    expect(verdict).toMatchObject({ ok: false, kind: 'entry', leafIndex: victim });
    const text = await (
      await fetch(`${t.baseUrl}/v1/ledger/export`, {
        headers: { authorization: `Bearer ${regulator.client.token}` },
      })
    ).text();
    expect(await verifyExport(Readable.from([text]), signer)).toMatchObject({
      ok: false,
      kind: 'entry',
      index: victim,
    });
  });
});
