import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/core';
import { Asset, mayRead as mayReadAsset } from '@app/assets';
import { BLOB_STORE, guardAgainstDestruction, type BlobStore } from '@app/blobs';
import { Clock, Conflict, DomainError, Forbidden, NotFound, ValidationFailed, newId } from '@app/core';
import { keysetPage, UnitOfWork, sqlKindOf } from '@app/database';
import { KEYSTORE_MAGIC, PARAM_SETS } from '@app/he/evaluation';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import {
  checkManifest,
  chunksRoot,
  manifestHash,
  secretKeyRefused,
  type DatasetManifest,
} from './dataset-manifest.js';
import { Dataset, DatasetChunk } from './entities/dataset.entity.js';

/** A dataset with the chunks received so far. */
export interface DatasetRecord {
  dataset: Dataset;
  chunks: DatasetChunk[];
}

export interface DatasetPage {
  datasets: Dataset[];
  next: string | null;
}

/** Rights whose holders may upload an asset's dataset: processing (加工使用权) or operation (经营权), DE 35. */
const UPLOAD_RIGHTS = new Set(['processing', 'operation']);

const holdsRight = (asset: Asset, organisationId: string) =>
  asset.rights.some((r) => r.organisationId === organisationId);

/**
 * Encrypted datasets (issue 11 item 2, P1): a merchant holding an asset's processing or operation right declares a
 * manifest, uploads its chunks in any order (resumable, each checked against its SHA-256, idempotent) into the blob
 * store, and completes the version once every chunk is there. A ready version never changes; a new upload is a new
 * version. `dataset.uploadStarted` and `dataset.completed` are ledger entries carrying the manifest hash and the
 * chunks' Merkle root; single chunks are not (the completion's root commits to all of them).
 */
@Injectable()
export class DatasetService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** Starts version n+1 of the asset's dataset. The version is allocated under the asset's row lock. */
  async start(principal: Principal, manifest: DatasetManifest): Promise<Dataset> {
    return this.uow.run(async (em) => {
      // The asset's row lock (PostgreSQL FOR UPDATE; SQLite serialises writers) orders parallel starts, so each
      // reads the last version after the previous one committed.
      const asset = await em.findOne(
        Asset,
        { id: manifest.assetId },
        sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!asset || !this.mayRead(principal, asset, null)) throw new NotFound('asset');
      requireUploadable(principal, asset);
      const paramSets = checkManifest(manifest, asset.columns);
      const [{ last }] = await em
        .getConnection()
        .execute<{ last: number | string | null }[]>(
          'select max("version") as "last" from "datasets" where "asset_id" = ?',
          [asset.id],
          'all',
          em.getTransactionContext(),
        );
      const now = this.clock.now();
      const hash = manifestHash(manifest);
      const dataset = em.create(Dataset, {
        id: newId(),
        assetId: asset.id,
        version: Number(last ?? 0) + 1,
        organisationId: principal.organisationId,
        uploadedByAccountId: principal.accountId,
        state: 'uploading',
        paramSet: manifest.paramSet,
        scheme: PARAM_SETS[manifest.paramSet].scheme,
        rowCount: manifest.rowCount,
        chunkCount: manifest.chunks.length,
        totalBytes: manifest.chunks.reduce((sum, c) => sum + c.sizeBytes, 0),
        manifest,
        manifestHash: hash,
        chunksRoot: null,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'dataset.uploadStarted',
          subjectIds: [dataset.id, asset.id],
          payload: {
            datasetId: dataset.id,
            assetId: asset.id,
            version: dataset.version,
            manifestHash: hash,
            paramSets,
            rowCount: manifest.rowCount,
            chunkCount: manifest.chunks.length,
            totalBytes: dataset.totalBytes,
            encryptedColumns: manifest.columns.filter((c) => c.encrypted).map((c) => c.name),
            publicColumns: manifest.columns.filter((c) => !c.encrypted).map((c) => c.name),
          },
        },
      ]);
      return dataset;
    });
  }

  /**
   * Receives chunk `seq`: streams `body` into the blob store checked against the manifest's SHA-256 and size (a
   * mismatch is 422 and nothing is kept; bytes that start like a sealed secret-key file are refused), then records
   * it. The same chunk again changes nothing and returns `created: false`. Bytes a destruction of the same content
   * is removing meanwhile are 409 `bytes_being_destroyed` or `bytes_destroyed` (`guardAgainstDestruction`): sent
   * again, they are stored afresh.
   */
  async receiveChunk(
    principal: Principal,
    id: string,
    seq: number,
    body: AsyncIterable<Uint8Array>,
  ): Promise<{ dataset: Dataset; chunk: DatasetChunk; created: boolean }> {
    const expected = await this.uow.read(async (em) => {
      const dataset = await this.writable(em, principal, id);
      const chunk = dataset.manifest.chunks[seq];
      if (!Number.isSafeInteger(seq) || !chunk) {
        throw new NotFound(
          `chunk ${seq} (this dataset has chunks 0 to ${dataset.chunkCount - 1})`,
          'chunk_out_of_range',
        );
      }
      return chunk;
    });
    const stored = await this.blobs.put(refuseSecretKey(body, `chunk ${seq}`), {
      expectedSha256: expected.sha256,
      maxBytes: expected.sizeBytes,
    });
    return this.uow.run(async (em) => {
      const dataset = await this.writable(em, principal, id);
      await guardAgainstDestruction(em, 'blobs', stored.sha256, this.blobs);
      const now = this.clock.now();
      const result = await em.getConnection().execute<{ affectedRows?: number; changes?: number }>(
        `insert into "dataset_chunks" ("dataset_id", "seq", "sha256", "size_bytes", "received_by_account_id", "received_at")
           values (?, ?, ?, ?, ?, ?) on conflict ("dataset_id", "seq") do nothing`,
        [id, seq, stored.sha256, stored.sizeBytes, principal.accountId, now],
        'run',
        em.getTransactionContext(),
      );
      const created = (result.affectedRows ?? result.changes ?? 0) > 0;
      const chunk = await em.findOneOrFail(DatasetChunk, { datasetId: id, seq });
      return { dataset, chunk, created };
    });
  }

  /** The dataset and its received chunks, for those who may read it (others 404). */
  async get(principal: Principal, id: string): Promise<DatasetRecord> {
    return this.uow.read(async (em) => {
      const dataset = await this.visible(em, principal, id);
      const chunks = await em.find(DatasetChunk, { datasetId: id }, { orderBy: { seq: 'asc' } });
      return { dataset, chunks };
    });
  }

  /**
   * uploading → ready once every chunk is received (a conditional update: of parallel completions exactly one
   * makes the transition and its `dataset.completed` entry; the others find it ready and return it unchanged).
   * Missing chunks: 409 `chunks_missing` naming them.
   */
  async complete(principal: Principal, id: string): Promise<DatasetRecord> {
    return this.uow.run(async (em) => {
      const dataset = await this.writable(em, principal, id);
      const chunks = await em.find(DatasetChunk, { datasetId: id }, { orderBy: { seq: 'asc' } });
      if (dataset.state === 'ready') return { dataset, chunks };
      // The asset may have been suspended or cancelled, or its rights moved, since the upload started.
      requireUploadable(principal, await em.findOneOrFail(Asset, { id: dataset.assetId }));
      if (chunks.length < dataset.chunkCount) {
        const have = new Set(chunks.map((c) => c.seq));
        const missing = [...Array(dataset.chunkCount).keys()].filter((n) => !have.has(n));
        const shown =
          missing.slice(0, 50).join(', ') + (missing.length > 50 ? ` … (${missing.length} in all)` : '');
        throw new Conflict(`chunks not received yet: ${shown}`, 'chunks_missing');
      }
      const root = chunksRoot(chunks.map((c) => c.sha256));
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Dataset,
        { id, state: 'uploading' },
        { state: 'ready', chunksRoot: root, completedAt: now, updatedAt: now },
      );
      if (moved === 1) {
        await this.ledger.record(em, [
          {
            actor: actorOf(principal),
            action: 'dataset.completed',
            subjectIds: [id, dataset.assetId],
            payload: {
              datasetId: id,
              assetId: dataset.assetId,
              version: dataset.version,
              manifestHash: dataset.manifestHash,
              chunksRoot: root,
              chunkCount: dataset.chunkCount,
              totalBytes: dataset.totalBytes,
            },
          },
        ]);
      }
      const fresh = await em.findOneOrFail(Dataset, { id }, { refresh: true });
      return { dataset: fresh, chunks };
    });
  }

  /**
   * Newest first. With `assetId`: that asset's versions, for whoever may read the asset's datasets (else 404).
   * Without: the datasets the caller's organisation uploaded (overseers: all).
   */
  async list(
    principal: Principal,
    query: { assetId?: string; after?: string; limit: number },
  ): Promise<DatasetPage> {
    return this.uow.read(async (em) => {
      const where: Record<string, unknown> = { ...keysetPage.after(query.after) };
      if (query.assetId !== undefined) {
        const asset = await em.findOne(Asset, { id: query.assetId });
        if (!asset || !mayReadAsset(principal, asset)) throw new NotFound('asset');
        where.assetId = asset.id;
        if (!isOverseer(principal) && !holdsRight(asset, principal.organisationId)) {
          where.organisationId = principal.organisationId;
        }
      } else if (!isOverseer(principal)) {
        where.organisationId = principal.organisationId;
      }
      const rows = await em.find(Dataset, where, keysetPage.options(query.limit));
      const { rows: datasets, next } = keysetPage.cut(rows, query.limit);
      return { datasets, next };
    });
  }

  /** Who reads a dataset: the uploading organisation, the asset's rights holders and the overseers. */
  private mayRead(principal: Principal, asset: Asset, dataset: Dataset | null): boolean {
    return (
      isOverseer(principal) ||
      dataset?.organisationId === principal.organisationId ||
      holdsRight(asset, principal.organisationId)
    );
  }

  private async visible(em: EntityManager, principal: Principal, id: string): Promise<Dataset> {
    const dataset = await em.findOne(Dataset, { id });
    const asset = dataset ? await em.findOne(Asset, { id: dataset.assetId }) : null;
    if (!dataset || !asset || !this.mayRead(principal, asset, dataset)) throw new NotFound('dataset');
    return dataset;
  }

  /** Only the uploading organisation adds chunks and completes; other readers get 403, everyone else 404. */
  private async writable(em: EntityManager, principal: Principal, id: string): Promise<Dataset> {
    const dataset = await this.visible(em, principal, id);
    if (dataset.state === 'destroyed') throw datasetDestroyed(id);
    if (dataset.organisationId !== principal.organisationId) {
      throw new Forbidden("only the uploading merchant's organisation adds to a dataset", 'not_uploader');
    }
    return dataset;
  }
}

/** A destroyed version (DS 37) takes nothing more: its bytes are gone for good. */
const datasetDestroyed = (id: string) =>
  new DomainError('not_found', 'data_destroyed', `dataset ${id} was destroyed (DS 37); its data is gone`);

/** Throws unless `principal` may make `asset` a new dataset version now: it holds an upload right, the asset is registered. */
function requireUploadable(principal: Principal, asset: Asset): void {
  const right = asset.rights.some(
    (r) => r.organisationId === principal.organisationId && UPLOAD_RIGHTS.has(r.right),
  );
  if (!right) {
    throw new Forbidden(
      "an asset's dataset is uploaded by a holder of its processing or operation right (DE 35)",
      'upload_right_required',
    );
  }
  if (asset.status !== 'registered') {
    throw new Conflict(
      `asset ${asset.id} is ${asset.status}: only a registered asset takes a dataset`,
      'asset_not_registered',
    );
  }
}

/** Passes the bytes on, refusing them when they begin with the magic of `@app/he`'s passphrase-sealed key file. */
async function* refuseSecretKey(body: AsyncIterable<Uint8Array>, where: string): AsyncGenerator<Uint8Array> {
  let head = Buffer.alloc(0);
  let checked = false;
  for await (const part of body) {
    if (!checked) {
      head = Buffer.concat([head, part]);
      if (head.length < KEYSTORE_MAGIC.length) continue;
      checked = true;
      if (KEYSTORE_MAGIC.every((b, i) => head[i] === b)) throw secretKeyRefused(where);
      yield head;
      continue;
    }
    yield part;
  }
  if (!checked) {
    if (head.length === 0)
      throw new ValidationFailed('the chunk is empty; send its bytes as the body', 'empty_chunk');
    yield head;
  }
}
