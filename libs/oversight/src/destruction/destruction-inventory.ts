import type { EntityManager } from '@mikro-orm/sql';
import { ListingAsset } from '@app/catalog';
import { Computation } from '@app/compute';
import { Dataset, DatasetChunk } from '@app/datasets';
import { DeliveryFile } from '@app/trading';
import type { DestroyedInventory } from '../entities/destruction.entity.js';

/** A blob a destruction removes, in the store that holds it (`sha256` as 64 lowercase hex). */
export interface BlobToRemove {
  store: 'blobs' | 'delivery-files';
  sha256: string;
}

/** What an asset's destruction takes, read inside the executing transaction. */
export interface Gathered {
  inventory: Omit<DestroyedInventory, 'contractsEnded' | 'listingsWithdrawn'>;
  datasets: Dataset[];
  /** The blobs no live record refers to any more: removed after the commit. */
  remove: BlobToRemove[];
}

/** Bound parameters per `in (…)` list: well below SQLite's and PostgreSQL's limits. */
const IN_BATCH = 500;

function batches<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_BATCH) out.push(values.slice(i, i + IN_BATCH));
  return out;
}

/** The listings built on the asset (any status), by id. */
export async function listingIdsOf(em: EntityManager, assetId: string): Promise<string[]> {
  const links = await em.find(ListingAsset, { assetId }, { orderBy: { listingId: 'asc' } });
  return [...new Set(links.map((l) => l.listingId))];
}

/**
 * Every byte the platform holds of the asset: its dataset versions' chunks (ciphertexts, public columns,
 * evaluation keys), the stored evaluations of computations over them, and the delivery files of its listings. A
 * blob another live record still names (a dataset of another asset with the same evaluation keys, a delivery file
 * of another listing with the same bytes, a computation's parameters) is kept and listed in `sharedBlobsKept`.
 */
export async function gather(
  em: EntityManager,
  assetId: string,
  listingIds: readonly string[],
): Promise<Gathered> {
  const datasets = await em.find(
    Dataset,
    { assetId, state: { $ne: 'destroyed' } },
    { orderBy: { version: 'asc' } },
  );
  const datasetIds = datasets.map((d) => d.id);
  const chunks = datasetIds.length
    ? await em.find(
        DatasetChunk,
        { datasetId: { $in: datasetIds } },
        { orderBy: { datasetId: 'asc', seq: 'asc' } },
      )
    : [];
  const received = new Map<string, string[]>();
  for (const c of chunks) received.set(c.datasetId, [...(received.get(c.datasetId) ?? []), c.sha256]);
  const computations = datasetIds.length
    ? await em.find(
        Computation,
        { datasetId: { $in: datasetIds }, evaluationSha256: { $ne: null } },
        { orderBy: { id: 'asc' } },
      )
    : [];
  const files = listingIds.length
    ? await em.find(DeliveryFile, { listingId: { $in: [...listingIds] } }, { orderBy: { id: 'asc' } })
    : [];

  const datasetBlobs = [
    ...new Set([...chunks.map((c) => c.sha256), ...computations.map((c) => c.evaluationSha256!)]),
  ].sort();
  const fileBlobs = [...new Set(files.map((f) => f.sha256.slice(2)))].sort();
  const keptBlobs = await stillUsedBlobs(em, datasetBlobs, datasetIds);
  const keptFiles = await stillUsedFiles(em, fileBlobs, listingIds);
  return {
    datasets,
    inventory: {
      datasets: datasets.map((d) => ({
        datasetId: d.id,
        version: d.version,
        manifestHash: d.manifestHash,
        chunksRoot: d.chunksRoot ?? null,
        blobs: [...new Set(received.get(d.id) ?? [])].sort(),
      })),
      deliveryFiles: files.map((f) => ({
        deliveryFileId: f.id,
        listingId: f.listingId,
        sha256: f.sha256.slice(2),
      })),
      evaluations: computations.map((c) => ({ computationId: c.id, sha256: c.evaluationSha256! })),
      sharedBlobsKept: [...new Set([...keptBlobs, ...keptFiles])].sort(),
    },
    remove: [
      ...datasetBlobs.filter((h) => !keptBlobs.has(h)).map((sha256) => ({ store: 'blobs' as const, sha256 })),
      ...fileBlobs
        .filter((h) => !keptFiles.has(h))
        .map((sha256) => ({ store: 'delivery-files' as const, sha256 })),
    ],
  };
}

/**
 * Whether a record outside the destruction still names the bytes now: a dataset not destroyed or a computation of a
 * dataset other than the destroyed ones (`blobs`), a delivery file of a listing not on the asset (`delivery-files`).
 * Run by the removal under the bytes' row lock, so a reference recorded after the execution is seen.
 */
export async function stillUsed(
  em: EntityManager,
  blob: BlobToRemove,
  inventory: DestroyedInventory,
  assetId: string,
): Promise<boolean> {
  if (blob.store === 'blobs') {
    const own = inventory.datasets.map((d) => d.datasetId);
    return (await stillUsedBlobs(em, [blob.sha256], own)).size > 0;
  }
  return (await stillUsedFiles(em, [blob.sha256], await listingIdsOf(em, assetId))).size > 0;
}

/** Of `hashes` in the dataset blob store, those a dataset not destroyed (outside `own`) or its computations name. */
async function stillUsedBlobs(
  em: EntityManager,
  hashes: readonly string[],
  own: readonly string[],
): Promise<Set<string>> {
  const used = new Set<string>();
  const notOwn = own.length ? { datasetId: { $nin: [...own] } } : {};
  for (const batch of batches(hashes)) {
    const chunks = await em.find(DatasetChunk, { sha256: { $in: batch }, ...notOwn });
    const live = chunks.length
      ? await em.find(Dataset, {
          id: { $in: [...new Set(chunks.map((c) => c.datasetId))] },
          state: { $ne: 'destroyed' },
        })
      : [];
    const liveIds = new Set(live.map((d) => d.id));
    for (const c of chunks) if (liveIds.has(c.datasetId)) used.add(c.sha256);
    const computations = await em.find(Computation, {
      ...notOwn,
      $or: [
        { evaluationSha256: { $in: batch } },
        { paramsSha256: { $in: batch } },
        { resultSha256: { $in: batch } },
      ],
    });
    for (const c of computations)
      for (const h of [c.evaluationSha256, c.paramsSha256, c.resultSha256])
        if (h && batch.includes(h)) used.add(h);
  }
  return used;
}

/** Of `hashes` in the delivery file store, those a delivery file of a listing outside `own` names. */
async function stillUsedFiles(
  em: EntityManager,
  hashes: readonly string[],
  own: readonly string[],
): Promise<Set<string>> {
  const used = new Set<string>();
  const notOwn = own.length ? { listingId: { $nin: [...own] } } : {};
  for (const batch of batches(hashes)) {
    const files = await em.find(DeliveryFile, { sha256: { $in: batch.map((h) => `0x${h}`) }, ...notOwn });
    for (const f of files) used.add(f.sha256.slice(2));
  }
  return used;
}
