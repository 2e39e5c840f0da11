import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MikroORM } from '@mikro-orm/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Computation, ComputationReleaseService, ComputationService } from '@app/compute';
import { DatasetService, type DatasetManifest, type ManifestChunk } from '@app/datasets';
import { encryptCsv, generateKeys, openSecretKey, sealSecretKey, type SecretKeyMaterial } from '@app/he';
import type { Principal } from '@app/identity';
import { ResultKeyService } from '@app/results';
import { generateResultKeyPair, openResultKeyFile, sealResultKeyFile, toBase64Url } from '@app/results/core';
import { SettlementService } from '@app/settlement';
import {
  ContractFundingService,
  ContractSigningService,
  contractTypedData,
  NegotiationService,
  type Terms,
} from '@app/trading';
import { parseEvaluationBundle } from './agent-bundle.js';
import { emptyJournal } from './agent-journal.js';
import { decideComputation } from './agent-release.js';
import { signBoth } from './demo-trade.js';

/**
 * Issue 11 item 8: the demo's computations. On the power-load compute listing of the demo market: the merchant's HE
 * keys and an encrypted dataset (made here, in memory: the same encoder as `exchange dataset upload`), a signed and
 * funded per-computation contract, the buyer's result key, and four computations so every state of a job is seen:
 * two released by the data holder's agent code (sealed to the buyer), one the data holder refused (`agent_refused`),
 * one evaluated and waiting for the agent. Jobs run inside this process (no Redis): the seed waits for evaluation.
 *
 * The key files are written under `DATA_DIR/demo/`, sealed under one demo passphrase kept beside them (a demo: it is
 * printed), so a newcomer can run `exchange agent --once` and `exchange compute result` with them. Idempotent: a
 * later run finds the contract and its computations and only reports them.
 */

export interface DemoComputeParties {
  operator: Principal;
  merchant: Principal;
  buyer: Principal;
}

export interface DemoComputeReport {
  listingId: string;
  datasetId: string | null;
  contractId: string | null;
  keyFiles: { merchant: string; buyerResult: string; passphraseFile: string };
  computations: { id: string; recipe: string; state: string; reasonCode: string | null }[];
  /** Why the seed made no computations (with REDIS_URL the jobs wait for sandbox workers it does not start). */
  skipped?: string;
}

const COLUMN = 'load_kw';
const ROWS = 96; // one day of 15-minute readings
const SPEC = { kind: 'decimal', decimals: 1, min: 0, max: 5000 } as const;
const TERMS = (priceFen: bigint): Terms => ({
  purpose: '园区用电景气分析（演示：密文计算）',
  columns: [COLUMN],
  recipes: ['sum', 'mean', 'variance', 'count'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen,
  periodDays: 30,
  computations: 10,
});

/** Load of one park over a day, generated, the same every run. */
function loadCsv(): string {
  const rows = [COLUMN];
  for (let i = 0; i < ROWS; i++)
    rows.push((1800 + 900 * Math.sin((i / ROWS) * 2 * Math.PI) + ((i * 37) % 50)).toFixed(1));
  return `${rows.join('\n')}\n`;
}

async function secretFile(path: string, make: () => Promise<Uint8Array | string>): Promise<void> {
  if (!existsSync(path)) await writeFile(path, await make(), { flag: 'wx', mode: 0o600 });
}

/** The merchant's dataset of the listing's asset: the newest ready version, else one encrypted and uploaded now. */
async function demoDataset(
  context: INestApplicationContext,
  merchant: Principal,
  assetId: string,
  keys: SecretKeyMaterial,
): Promise<string> {
  const datasets = context.get(DatasetService);
  const page = await datasets.list(merchant, { assetId, limit: 50 });
  const ready = page.datasets.find((d) => d.state === 'ready');
  if (ready) return ready.id;
  const blobs = new Map<string, Uint8Array>();
  const chunks: ManifestChunk[] = [];
  const add = (chunk: Omit<ManifestChunk, 'sha256' | 'sizeBytes'>, bytes: Uint8Array, sha256: string) => {
    blobs.set(sha256, bytes);
    chunks.push({ ...chunk, sha256, sizeBytes: bytes.length });
  };
  const ciphertexts: { index: number; bytes: Uint8Array; sha256: string }[] = [];
  const dataset = await encryptCsv(
    Readable.from([loadCsv()]),
    [{ name: COLUMN, ...SPEC, paramSet: keys.paramSet }],
    [keys],
    {
      keepInMemory: false,
      onChunk: (_column, index, blob) => {
        ciphertexts[index] = { index, bytes: blob.bytes, sha256: blob.sha256 };
      },
    },
  );
  for (const c of ciphertexts) add({ kind: 'ciphertext', column: COLUMN, index: c.index }, c.bytes, c.sha256);
  const { createHash } = await import('node:crypto');
  for (const kind of ['publicKey', 'relinKeys', 'galoisKeys'] as const)
    add({ kind, paramSet: keys.paramSet }, keys[kind], createHash('sha256').update(keys[kind]).digest('hex'));
  const manifest: DatasetManifest = {
    assetId,
    paramSet: keys.paramSet,
    rowCount: dataset.rows,
    columns: [{ name: COLUMN, encrypted: true, spec: { ...SPEC } }],
    chunks,
  };
  const started = await datasets.start(merchant, manifest);
  for (const [seq, chunk] of chunks.entries())
    await datasets.receiveChunk(merchant, started.id, seq, Readable.from([blobs.get(chunk.sha256)!]));
  await datasets.complete(merchant, started.id);
  return started.id;
}

/** A signed, funded per-computation contract of the buyer's on the listing (found again on a later run). */
async function demoContract(
  context: INestApplicationContext,
  parties: DemoComputeParties,
  listing: { id: string; priceFen: bigint },
): Promise<{ id: string; state: string }> {
  const { buyer, merchant, operator } = parties;
  const signing = context.get(ContractSigningService);
  let contract = (await signing.list(buyer, { limit: 200 })).contracts.find(
    (c) => c.listingId === listing.id && c.endReason === null,
  );
  if (!contract) {
    const negotiations = context.get(NegotiationService);
    const applied = await negotiations.apply(buyer, {
      listingId: listing.id,
      terms: TERMS(listing.priceFen),
    });
    const agreed = await negotiations.accept(merchant, applied.negotiation.id, applied.negotiation.version);
    contract = await signing.get(buyer, agreed.negotiation.contractId!);
  }
  if (contract.state === 'awaiting_signatures') contract = await signBoth(context, contract, buyer, merchant);
  if (contract.state === 'signed') {
    await context
      .get(SettlementService)
      .deposit(`demo-compute/deposit/${contract.id}`, buyer.organisationId, contract.amountFen, {
        accountId: operator.accountId,
        organisationId: operator.organisationId,
      });
    contract = (
      await context
        .get(ContractFundingService)
        .fund(buyer, contract.id, `org:${buyer.organisationId}/demo-compute/fund/${contract.id}`)
    ).contract;
  }
  return { id: contract.id, state: contract.state };
}

async function stateOf(context: INestApplicationContext, id: string) {
  const row = await context
    .get(MikroORM)
    .em.fork()
    .findOne(Computation, { id }, { fields: ['id', 'recipe', 'state', 'reasonCode'] as never });
  if (!row) throw new Error(`computation ${id} is gone`);
  return row as unknown as { id: string; recipe: string; state: string; reasonCode: string | null };
}

/** Waits until the in-process sandbox has evaluated it (or it failed or was refused there). */
async function evaluated(context: INestApplicationContext, id: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const { state } = await stateOf(context, id);
    if (state !== 'queued' && state !== 'running') return state;
    await sleep(200);
  }
  throw new Error(`computation ${id} was not evaluated within two minutes`);
}

export async function seedDemoCompute(
  context: INestApplicationContext,
  parties: DemoComputeParties,
  listing: { id: string; assetId: string; priceFen: bigint },
  dataDir: string,
  redis = false,
): Promise<DemoComputeReport> {
  const dir = join(dataDir, 'demo');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyFiles = {
    merchant: join(dir, 'merchant.hekeys'),
    buyerResult: join(dir, 'buyer-result.key'),
    passphraseFile: join(dir, 'passphrase.txt'),
  };
  await secretFile(keyFiles.passphraseFile, async () => randomBytes(18).toString('base64url'));
  const passphrase = (await readFile(keyFiles.passphraseFile, 'utf8')).trim();
  await secretFile(keyFiles.merchant, async () =>
    sealSecretKey(await generateKeys('bfv-8192-t50'), passphrase),
  );
  await secretFile(keyFiles.buyerResult, async () =>
    sealResultKeyFile(await generateResultKeyPair(), passphrase),
  );
  const hekeys = await openSecretKey(await readFile(keyFiles.merchant), passphrase);
  const resultKey = await openResultKeyFile(new Uint8Array(await readFile(keyFiles.buyerResult)), passphrase);
  resultKey.privateKey.fill(0);
  await context.get(ResultKeyService).register(parties.buyer, toBase64Url(resultKey.publicKey));

  const report: DemoComputeReport = {
    listingId: listing.id,
    datasetId: null,
    contractId: null,
    keyFiles,
    computations: [],
  };
  report.datasetId = await demoDataset(context, parties.merchant, listing.assetId, hekeys);
  const contract = await demoContract(context, parties, listing);
  report.contractId = contract.id;
  // With Redis the jobs run on sandbox worker processes, which the seed neither starts nor waits for.
  if (redis)
    return {
      ...report,
      skipped:
        'REDIS_URL is set, so jobs run on sandbox workers (npm run start:worker); seed without REDIS_URL to see ' +
        'computations in every state, or submit them with exchange compute run',
    };
  const submitter = context.get(ComputationService);
  const releaser = context.get(ComputationReleaseService);

  const mine = await context
    .get(MikroORM)
    .em.fork()
    .find(
      Computation,
      { contractId: contract.id },
      {
        orderBy: { queuedAt: 'asc' } as never,
      },
    );
  if (mine.length === 0 && contract.state === 'active') {
    // sum and mean released, variance refused by the data holder, count left for the agent.
    const plan: { recipe: string; then: 'release' | 'refuse' | 'wait' }[] = [
      { recipe: 'sum', then: 'release' },
      { recipe: 'mean', then: 'release' },
      { recipe: 'variance', then: 'refuse' },
      { recipe: 'count', then: 'wait' },
    ];
    const journal = emptyJournal();
    for (const step of plan) {
      const { computation } = await submitter.submit(parties.buyer, {
        contractId: contract.id,
        recipe: step.recipe,
        bindings: { x: COLUMN },
        datasetId: report.datasetId,
      });
      if ((await evaluated(context, computation.id)) !== 'evaluated' || step.then === 'wait') continue;
      if (step.then === 'refuse') {
        await releaser.refuse(parties.merchant, computation.id, {
          code: 'agent_refused',
          reason: 'the data holder declined this query (demo)',
        });
        continue;
      }
      // The agent's own code path: the bundle as the platform serves it, re-checked, decrypted, noised, sealed.
      const bundle = parseEvaluationBundle(
        JSON.parse(JSON.stringify(await releaser.bundle(parties.merchant, computation.id))),
      );
      // The contract's signed typed data, as `GET /v1/contracts/{id}` serves it: the agent checks the merchant's
      // signature over it before it decrypts anything.
      const signed = await context.get(ContractSigningService).get(parties.merchant, contract.id);
      const typedDataMessage = JSON.parse(
        JSON.stringify(contractTypedData(signed).message, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v,
        ),
      ) as Record<string, unknown>;
      const { entry } = await decideComputation(bundle, journal, {
        keys: [hekeys],
        typedDataMessage,
      });
      if (entry.kind === 'release')
        await releaser.release(parties.merchant, computation.id, {
          envelope: entry.envelope,
          epsilonSpentMilli: entry.milliEpsilon,
        });
      else
        await releaser.refuse(parties.merchant, computation.id, {
          code: entry.code,
          reason: entry.reason,
        });
    }
  }
  const all = await context
    .get(MikroORM)
    .em.fork()
    .find(
      Computation,
      { contractId: contract.id },
      {
        orderBy: { queuedAt: 'asc' } as never,
      },
    );
  report.computations = all.map((c) => {
    const row = c as unknown as { id: string; recipe: string; state: string; reasonCode: string | null };
    return { id: row.id, recipe: row.recipe, state: row.state, reasonCode: row.reasonCode };
  });
  return report;
}
