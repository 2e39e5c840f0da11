import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { encryptCsv, readCsvRecords, type SecretKeyMaterial } from '@app/he';
import { checkColumnSpec, PARAM_SETS, type ColumnSpec, type ParamSetId } from '@app/he/evaluation';
import { ApiClient } from '../api-client.js';

/**
 * The merchant's side of an encrypted dataset upload (issue 11 item 2, P1): read the CSV as a stream, check its
 * header against the asset's registered columns, encrypt every column that is not registered public under the
 * merchant's key set, keep the encrypted chunks in a local spool directory, and drive the exchange's resumable
 * upload session (`docs/datasets.md`) until the version is ready. Only ciphertexts, public/evaluation keys and the
 * declared public columns leave this process.
 */

/** Fault injection for tests and drills: stop (exit code 75) after this many chunks were sent in one run. */
export const STOP_AFTER_ENV = 'EXCHANGE_UPLOAD_STOP_AFTER_CHUNKS';
export const EXIT_STOPPED = 75;

interface RegisteredColumn {
  name: string;
  type: string;
  public: boolean;
  personalInformation: boolean;
  tradeSecret: boolean;
}

interface ManifestColumn {
  name: string;
  encrypted: boolean;
  spec?: Omit<ColumnSpec, 'name' | 'public'>;
}

interface ManifestChunk {
  kind: 'ciphertext' | 'publicColumn' | 'publicKey' | 'relinKeys' | 'galoisKeys';
  column?: string;
  index?: number;
  paramSet?: ParamSetId;
  sha256: string;
  sizeBytes: number;
}

interface Manifest {
  assetId: string;
  paramSet: ParamSetId;
  rowCount: number;
  columns: ManifestColumn[];
  chunks: ManifestChunk[];
}

/** What the spool directory remembers between runs: the finished manifest and, once started, the session. */
interface SpoolState {
  format: 1;
  assetId: string;
  csv: { path: string; sizeBytes: number; mtimeMs: number };
  manifest: Manifest;
  datasetId?: string;
  version?: number;
  manifestHash?: string;
}

export interface UploadOptions {
  asset: string;
  csv: string;
  keys: string;
  columns?: string;
  spec?: string;
  spool?: string;
  resume?: string;
}

export interface UploadDeps {
  openKeys: (file: string) => Promise<SecretKeyMaterial>;
}

class Refused extends Error {}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Says what the exchange answered, with its code when there is one. */
function said(what: string, reply: { status: number; body: unknown }): Error {
  const body = reply.body;
  if (typeof body !== 'object' || body === null)
    return new Refused(`${what}: ${reply.status} ${String(body)}`);
  const { message, code, article } = body as { message?: unknown; code?: unknown; article?: unknown };
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
  const tags = [code, article].filter((v): v is string => typeof v === 'string');
  return new Refused(`${what}: ${reply.status} ${text}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}`);
}

/** One line of progress on stderr: rewritten in place on a terminal, at most one line every two seconds otherwise. */
class Progress {
  private last = 0;
  constructor(private readonly tty = process.stderr.isTTY === true) {}
  show(text: string, final = false): void {
    const now = Date.now();
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
    } else if (final || now - this.last >= 2000) {
      process.stderr.write(`${text}\n`);
      this.last = now;
    }
  }
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** The CSV's header row, read without reading the rest. */
async function headerOf(csv: string): Promise<string[]> {
  const stream = createReadStream(csv, { highWaterMark: 64 * 1024 });
  try {
    for await (const record of readCsvRecords(stream)) return record.map((name) => name.trim());
  } finally {
    stream.destroy();
  }
  throw new Refused(`${csv} is empty: the first row must name the columns`);
}

/** Writes a file atomically (temporary name, then rename), so a spool never holds half a chunk under its name. */
async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.part`;
  await writeFile(temporary, bytes, { mode: 0o600, flush: true });
  await rename(temporary, path);
}

/** A spool holds only chunk files (named by their SHA-256), their temporary `.part` files and `state.json`. */
const SPOOL_FILE = /^(?:[0-9a-f]{64}(?:\.[0-9a-f]{8}\.part)?|state\.json(?:\.[0-9a-f]{8}\.part)?)$/;

/**
 * Removes a spool directory, refusing (before deleting anything) one that holds anything a spool does not: `--spool`
 * pointed at a directory of the user's must never be emptied.
 */
async function removeSpool(spool: string): Promise<void> {
  const names = await readdir(spool).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (names === null) return;
  const foreign = names.filter((name) => !SPOOL_FILE.test(name));
  if (foreign.length > 0) {
    throw new Refused(
      `${spool} is not an upload spool (it holds ${foreign.slice(0, 3).join(', ')}); choose another --spool`,
    );
  }
  for (const name of names) await rm(join(spool, name), { force: true });
  await rmdir(spool);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(what: string, id: string): string {
  if (!UUID.test(id)) throw new Refused(`${id} is not a ${what} id (a UUID)`);
  return id.toLowerCase();
}

/**
 * Decides, per uploaded column, whether it travels in plaintext (registered public, no personal information, no
 * trade secret: for filters) or encrypted, and with which `ColumnSpec`. Throws before anything is read past the
 * header when the CSV does not fit the registration.
 */
function plan(
  header: string[],
  registered: RegisteredColumn[],
  wanted: string[] | undefined,
  specs: Record<string, Partial<ColumnSpec>>,
  paramSet: ParamSetId,
): ColumnSpec[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new Refused(`the CSV header names column ${name} twice`);
    seen.add(name);
  }
  const byName = new Map(registered.map((c) => [c.name, c]));
  const unknown = header.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new Refused(
      `the CSV header does not match the asset: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not ` +
        `among its registered columns (${registered.map((c) => c.name).join(', ')}); nothing was uploaded`,
    );
  }
  const names = wanted ?? header;
  for (const name of names) {
    if (!seen.has(name)) throw new Refused(`--columns names ${name}, which is not in the CSV header`);
  }
  for (const name of Object.keys(specs)) {
    if (!names.includes(name)) throw new Refused(`--spec describes ${name}, which is not uploaded`);
  }
  if (names.length === 0) throw new Refused('no column to upload');
  const scheme = PARAM_SETS[paramSet].scheme;
  return names.map((name): ColumnSpec => {
    const column = byName.get(name)!;
    const given = specs[name];
    if (column.public && !column.personalInformation && !column.tradeSecret) {
      if (given)
        throw new Refused(`column ${name} is registered public: it travels in plaintext, give it no --spec`);
      return { name, kind: 'real', min: -Number.MAX_VALUE, max: Number.MAX_VALUE, public: true };
    }
    if (!given) {
      throw new Refused(
        `column ${name} is encrypted: describe it in --spec (kind, min, max${column.type === 'decimal' ? ', decimals' : ''})`,
      );
    }
    const kind =
      given.kind ??
      (column.type === 'decimal' ? 'decimal' : column.type === 'integer' ? 'integer' : undefined);
    if (!kind) {
      throw new Refused(
        `column ${name} is registered as ${column.type}: only numbers can be encrypted (leave it out with --columns)`,
      );
    }
    const spec: ColumnSpec = { ...given, name, kind, paramSet: given.paramSet ?? undefined } as ColumnSpec;
    const wantedScheme = kind === 'real' ? 'ckks' : 'bfv';
    if (wantedScheme !== scheme || (given.paramSet && given.paramSet !== paramSet)) {
      throw new Refused(
        `column ${name} (${kind}) needs a ${wantedScheme.toUpperCase()} key set; the key file is for ${paramSet}`,
      );
    }
    if (spec.buckets && paramSet !== 'bfv-8192-t50') {
      throw new Refused(`column ${name}: bucketed columns need a bfv-8192-t50 key set`);
    }
    const full: ColumnSpec = { ...spec, paramSet };
    try {
      checkColumnSpec(full);
    } catch (error) {
      throw new Refused(`--spec: ${(error as Error).message}`);
    }
    return full;
  });
}

async function readSpecs(file: string | undefined): Promise<Record<string, Partial<ColumnSpec>>> {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Refused(`cannot read --spec ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Refused(
      '--spec must be a JSON object: {"column": {"kind": "integer", "min": 0, "max": 100000}, …}',
    );
  }
  const specs: Record<string, Partial<ColumnSpec>> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Refused(`--spec ${name}: an object such as {"kind": "integer", "min": 0, "max": 100}`);
    }
    const unknown = Object.keys(value).filter((key) => !SPEC_FIELDS.includes(key));
    if (unknown.length > 0) {
      throw new Refused(`--spec ${name}: unknown ${unknown.join(', ')} (known: ${SPEC_FIELDS.join(', ')})`);
    }
    specs[name] = value;
  }
  return specs;
}

/** What `--spec` may say of an encrypted column (`@app/he` `ColumnSpec` without its name; never `public`). */
const SPEC_FIELDS = ['kind', 'min', 'max', 'decimals', 'buckets', 'paramSet'];

/** Encrypts the CSV into the spool directory and returns the manifest (chunk n's bytes are spool/<sha256>). */
async function encryptIntoSpool(
  options: UploadOptions,
  spool: string,
  specs: ColumnSpec[],
  keys: SecretKeyMaterial,
  progress: Progress,
): Promise<Manifest> {
  const { size } = await stat(options.csv);
  let bytesRead = 0;
  let ciphertexts = 0;
  let rowsEncrypted = 0;
  const firstEncrypted = specs.find((s) => !s.public)?.name;
  const slots = PARAM_SETS[keys.paramSet].slots;
  const report = (final = false) =>
    progress.show(
      `encrypting: ${rowsEncrypted} rows, ${mib(bytesRead)} of ${mib(size)} read, ${ciphertexts} ciphertexts`,
      final,
    );
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(options.csv, { highWaterMark: 1 << 20 })) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const ciphertextChunks = new Map<string, ManifestChunk[]>();
  const spoolFile = async (bytes: Uint8Array): Promise<{ sha256: string; sizeBytes: number }> => {
    const hash = sha256(bytes);
    await writeAtomic(join(spool, hash), bytes);
    return { sha256: hash, sizeBytes: bytes.length };
  };
  const dataset = await encryptCsv(counted(), specs, [keys], {
    keepInMemory: false,
    onChunk: async (column, index, blob) => {
      const list = ciphertextChunks.get(column) ?? ciphertextChunks.set(column, []).get(column)!;
      list[index] = { kind: 'ciphertext', column, index, ...(await spoolFile(blob.bytes)) };
      ciphertexts++;
      if (column === firstEncrypted) rowsEncrypted = (index + 1) * slots;
      report();
    },
  });
  rowsEncrypted = dataset.rows;
  report(true);
  if (dataset.rows === 0) throw new Refused(`${options.csv} has a header but no rows`);
  const chunks: ManifestChunk[] = [];
  for (const spec of specs) {
    if (spec.public) continue;
    const names = [
      spec.name,
      ...Array.from({ length: Math.max(0, (spec.buckets?.length ?? 0) - 1) }, (_, i) => `${spec.name}#${i}`),
    ];
    for (const name of names) chunks.push(...(ciphertextChunks.get(name) ?? []));
  }
  for (const spec of specs) {
    if (!spec.public) continue;
    const values = dataset.publicColumns[spec.name];
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    chunks.push({ kind: 'publicColumn', column: spec.name, ...(await spoolFile(bytes)) });
  }
  if (specs.some((s) => !s.public)) {
    for (const kind of ['publicKey', 'relinKeys', 'galoisKeys'] as const) {
      chunks.push({ kind, paramSet: keys.paramSet, ...(await spoolFile(keys[kind])) });
    }
  }
  const columns = specs.map((spec): ManifestColumn => {
    if (spec.public) return { name: spec.name, encrypted: false };
    const { kind, min, max, decimals, buckets, paramSet } = spec;
    return {
      name: spec.name,
      encrypted: true,
      spec: {
        kind,
        min,
        max,
        ...(decimals !== undefined ? { decimals } : {}),
        ...(buckets !== undefined ? { buckets: [...buckets] } : {}),
        ...(paramSet && paramSet !== keys.paramSet ? { paramSet } : {}),
      },
    };
  });
  return { assetId: options.asset, paramSet: keys.paramSet, rowCount: dataset.rows, columns, chunks };
}

/**
 * Runs one `exchange dataset upload`. Preconditions: EXCHANGE_TOKEN is a merchant holding the asset's processing or
 * operation right. The spool directory (default `<csv>.upload`) keeps the encrypted chunks and `state.json` until the
 * version is ready, so an interrupted run resumes with byte-identical chunks instead of re-encrypting (encryption is
 * randomised); it is removed once the exchange says `ready`.
 */
export async function uploadDataset(options: UploadOptions, deps: UploadDeps): Promise<void> {
  const api = new ApiClient();
  const assetId = uuid('asset', options.asset);
  const csv = resolve(options.csv);
  const spool = resolve(options.spool ?? `${csv}.upload`);
  const statePath = join(spool, 'state.json');
  const progress = new Progress();
  const info = await stat(csv).catch((error: Error) => {
    throw new Refused(`cannot read ${options.csv}: ${error.message}`);
  });
  if (!info.isFile()) throw new Refused(`${options.csv} is not a file`);
  const csvFacts = { path: csv, sizeBytes: info.size, mtimeMs: info.mtimeMs };

  let state = await readFile(statePath, 'utf8')
    .then((text) => JSON.parse(text) as SpoolState)
    .catch(() => undefined);
  if (options.resume !== undefined) {
    const id = uuid('dataset', options.resume);
    if (!state || state.datasetId !== id) {
      throw new Refused(
        `--resume ${id}: ${spool} holds no upload of that dataset; its encrypted chunks exist only in the spool ` +
          'of the run that started it (encryption is randomised, so they cannot be made again): start a new upload',
      );
    }
  }
  if (state) {
    if (state.assetId !== assetId || state.csv.path !== csv) {
      throw new Refused(
        `${spool} holds an upload of another asset or file; remove it or choose another --spool`,
      );
    }
    if (state.csv.sizeBytes !== info.size || state.csv.mtimeMs !== info.mtimeMs) {
      throw new Refused(
        `${options.csv} changed since its upload${state.datasetId ? ` (dataset ${state.datasetId})` : ''} was ` +
          `encrypted; remove ${spool} to upload the new contents as a new version`,
      );
    }
    process.stderr.write(
      state.datasetId
        ? `resuming the upload of dataset ${state.datasetId} (version ${state.version}) from ${spool}\n`
        : `uploading the chunks encrypted earlier in ${spool}\n`,
    );
  }

  if (!state) {
    const asset = await api.get(`/v1/assets/${assetId}`);
    if (asset.status !== 200) throw said('asset', asset);
    const { columns: registered, status } = asset.body as { columns: RegisteredColumn[]; status: string };
    if (status !== 'registered') {
      throw new Refused(
        `asset ${assetId} is ${status}, not registered: only a registered asset takes datasets`,
      );
    }
    const header = await headerOf(csv);
    const wanted = options.columns
      ?.split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const specInput = await readSpecs(options.spec);
    const keys = await deps.openKeys(options.keys);
    try {
      const specs = plan(header, registered, wanted, specInput, keys.paramSet);
      await removeSpool(spool); // a spool without state.json: an encryption cut short
      await mkdir(spool, { recursive: true, mode: 0o700 });
      let manifest: Manifest;
      try {
        manifest = await encryptIntoSpool({ ...options, csv, asset: assetId }, spool, specs, keys, progress);
      } catch (error) {
        await removeSpool(spool); // nothing was sent: leave nothing behind
        throw error;
      }
      state = { format: 1, assetId, csv: csvFacts, manifest };
      await writeAtomic(statePath, JSON.stringify(state));
    } finally {
      keys.secretKey.fill(0);
    }
  }

  let missing: number[];
  if (!state.datasetId) {
    const created = await api.post('/v1/datasets', state.manifest);
    if (created.status !== 201) throw said('upload refused', created);
    const body = created.body as {
      id: string;
      version: number;
      manifestHash: string;
      missingChunks: number[];
    };
    state = { ...state, datasetId: body.id, version: body.version, manifestHash: body.manifestHash };
    await writeAtomic(statePath, JSON.stringify(state));
    missing = body.missingChunks;
    process.stderr.write(`dataset ${body.id}, version ${body.version}: ${missing.length} chunks to send\n`);
  } else {
    const shown = await api.get(`/v1/datasets/${state.datasetId}`);
    if (shown.status !== 200) throw said(`dataset ${state.datasetId}`, shown);
    const body = shown.body as { manifestHash: string; missingChunks: number[]; state: string };
    if (body.manifestHash !== state.manifestHash) {
      throw new Refused(
        `dataset ${state.datasetId} on the exchange is not the upload in ${spool} (manifest hashes differ)`,
      );
    }
    missing = body.missingChunks;
    process.stderr.write(
      `${missing.length} of ${state.manifest.chunks.length} chunks missing on the exchange\n`,
    );
  }

  const stopAfter = process.env[STOP_AFTER_ENV] ? Number(process.env[STOP_AFTER_ENV]) : undefined;
  const total = missing.reduce((sum, n) => sum + state.manifest.chunks[n].sizeBytes, 0);
  let sent = 0;
  let sentBytes = 0;
  for (const n of missing) {
    if (stopAfter !== undefined && sent >= stopAfter) {
      progress.show(`uploading: stopped after ${sent} chunks (${STOP_AFTER_ENV})`, true);
      process.stderr.write(`run the same command again (or --resume ${state.datasetId}) to send the rest\n`);
      process.exitCode = EXIT_STOPPED;
      return;
    }
    const chunk = state.manifest.chunks[n];
    const response = await api.fetchStream('PUT', `/v1/datasets/${state.datasetId}/chunks/${n}`, {
      body: Readable.toWeb(createReadStream(join(spool, chunk.sha256))) as ReadableStream<Uint8Array>,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(chunk.sizeBytes) },
    });
    const text = await response.text();
    if (response.status !== 201 && response.status !== 200) {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      throw said(`chunk ${n}`, { status: response.status, body });
    }
    sent++;
    sentBytes += chunk.sizeBytes;
    progress.show(
      `uploading: ${sent} of ${missing.length} chunks, ${mib(sentBytes)} of ${mib(total)}`,
      sent === missing.length,
    );
  }

  const completed = await api.post(`/v1/datasets/${state.datasetId}/complete`);
  if (completed.status !== 200) throw said('complete', completed);
  const ready = completed.body as Record<string, unknown>;
  await removeSpool(spool);
  console.log(
    JSON.stringify(
      {
        datasetId: ready.id,
        assetId: ready.assetId,
        version: ready.version,
        state: ready.state,
        manifestHash: ready.manifestHash,
        chunksRoot: ready.chunksRoot,
        rowCount: ready.rowCount,
        chunkCount: ready.chunkCount,
        totalBytes: ready.totalBytes,
        columns: state.manifest.columns.map((c) => ({ name: c.name, encrypted: c.encrypted })),
      },
      null,
      2,
    ),
  );
}
