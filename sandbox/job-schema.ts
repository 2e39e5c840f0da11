import { getParamSet, startsWithKeystoreMagic, type ColumnSpec, type ParamSetId } from '@app/he/evaluation';

/** One encrypted column as shipped to the sandbox: spec, layout and chunks with their recorded SHA-256. */
export interface JobColumn {
  readonly spec: ColumnSpec;
  readonly paramSet: ParamSetId;
  readonly rows: number;
  readonly slots: number;
  readonly chunks: readonly { readonly bytes: Uint8Array; readonly sha256: string }[];
}

export interface JobFilter {
  readonly column: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in';
  readonly value: number | readonly number[];
}

/** Everything a sandbox job may carry: public data, ciphertexts and evaluation keys — never a secret key. */
export interface JobPayload {
  readonly recipe: string;
  readonly params?: unknown;
  /** Recipe role → column name(s). */
  readonly bindings: Readonly<Record<string, string | readonly string[]>>;
  readonly columns: Readonly<Record<string, JobColumn>>;
  readonly publicColumns?: Readonly<Record<string, ArrayLike<number>>>;
  readonly filter?: JobFilter;
  readonly keys: readonly {
    readonly paramSet: ParamSetId;
    readonly relinKeys: Uint8Array;
    readonly galoisKeys: Uint8Array;
  }[];
}

export class JobRejected extends Error {
  override readonly name = 'JobRejected';
}

const SECRETISH = /secret|passphrase|password|private|keystore|^sk$/i;
const FILTER_OPS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !Array.isArray(v);
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) throw new JobRejected(`${where}: unexpected field ${k}`);
}

/** Rejects secret-looking field names anywhere and any byte string in the passphrase-keystore format. */
function scanForSecrets(value: unknown, path: string, depth = 0): void {
  if (depth > 12) throw new JobRejected(`${path}: nested too deeply`);
  if (value instanceof Uint8Array) {
    if (startsWithKeystoreMagic(value)) throw new JobRejected(`${path}: looks like a secret key file`);
    return;
  }
  if (ArrayBuffer.isView(value) || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanForSecrets(v, `${path}[${i}]`, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (SECRETISH.test(k)) throw new JobRejected(`${path}.${k}: secret material is not accepted`);
    scanForSecrets(v, `${path}.${k}`, depth + 1);
  }
}

function bytes(v: unknown, where: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length === 0) throw new JobRejected(`${where}: expected bytes`);
  return v;
}

/**
 * Validates the shape of a job payload (strict: unknown fields are refused) and that it carries no
 * secret key: no secret-looking field names, no keystore-format bytes, keys only as relinearisation
 * and Galois keys (which the evaluator then loads strictly as those types).
 */
export function parseJob(raw: unknown): JobPayload {
  if (!isRecord(raw)) throw new JobRejected('job must be an object');
  scanForSecrets(raw, 'job');
  onlyKeys(raw, ['recipe', 'params', 'bindings', 'columns', 'publicColumns', 'filter', 'keys'], 'job');
  if (typeof raw.recipe !== 'string') throw new JobRejected('job.recipe must be a string');
  if (!isRecord(raw.bindings)) throw new JobRejected('job.bindings must be an object');
  for (const [role, b] of Object.entries(raw.bindings)) {
    const ok =
      typeof b === 'string' || (Array.isArray(b) && b.length > 0 && b.every((x) => typeof x === 'string'));
    if (!ok) throw new JobRejected(`job.bindings.${role}: expected column name(s)`);
  }
  if (!isRecord(raw.columns)) throw new JobRejected('job.columns must be an object');
  for (const [name, c] of Object.entries(raw.columns)) {
    const where = `job.columns.${name}`;
    if (!isRecord(c)) throw new JobRejected(`${where}: expected an object`);
    onlyKeys(c, ['spec', 'paramSet', 'rows', 'slots', 'chunks'], where);
    if (!isRecord(c.spec) || c.spec.name !== name)
      throw new JobRejected(`${where}: spec must name the column`);
    getParamSet(String(c.paramSet));
    if (!Number.isSafeInteger(c.rows) || (c.rows as number) < 0) throw new JobRejected(`${where}: bad rows`);
    if (c.slots !== getParamSet(String(c.paramSet)).slots) throw new JobRejected(`${where}: bad slots`);
    if (!Array.isArray(c.chunks) || c.chunks.length !== Math.ceil((c.rows as number) / c.slots)) {
      throw new JobRejected(`${where}: chunk count does not match rows`);
    }
    c.chunks.forEach((ch: unknown, i) => {
      if (!isRecord(ch)) throw new JobRejected(`${where}.chunks[${i}]: expected an object`);
      onlyKeys(ch, ['bytes', 'sha256'], `${where}.chunks[${i}]`);
      bytes(ch.bytes, `${where}.chunks[${i}].bytes`);
      if (typeof ch.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ch.sha256)) {
        throw new JobRejected(`${where}.chunks[${i}]: sha256 must be 64 hex digits`);
      }
    });
  }
  if (raw.publicColumns !== undefined) {
    if (!isRecord(raw.publicColumns)) throw new JobRejected('job.publicColumns must be an object');
    for (const [name, v] of Object.entries(raw.publicColumns)) {
      if (!(v instanceof Float64Array) && !(Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
        throw new JobRejected(`job.publicColumns.${name}: expected numbers`);
      }
    }
  }
  if (raw.filter !== undefined) {
    const f = raw.filter;
    if (!isRecord(f)) throw new JobRejected('job.filter must be an object');
    onlyKeys(f, ['column', 'op', 'value'], 'job.filter');
    if (typeof f.column !== 'string' || !FILTER_OPS.has(String(f.op)))
      throw new JobRejected('job.filter: bad column or op');
    const okValue =
      f.op === 'in'
        ? Array.isArray(f.value) && f.value.every((x) => typeof x === 'number')
        : typeof f.value === 'number' && Number.isFinite(f.value);
    if (!okValue) throw new JobRejected('job.filter.value: bad value');
  }
  if (!Array.isArray(raw.keys) || raw.keys.length === 0)
    throw new JobRejected('job.keys: evaluation keys required');
  raw.keys.forEach((k: unknown, i) => {
    if (!isRecord(k)) throw new JobRejected(`job.keys[${i}]: expected an object`);
    onlyKeys(k, ['paramSet', 'relinKeys', 'galoisKeys'], `job.keys[${i}]`);
    getParamSet(String(k.paramSet));
    bytes(k.relinKeys, `job.keys[${i}].relinKeys`);
    bytes(k.galoisKeys, `job.keys[${i}].galoisKeys`);
  });
  return raw as unknown as JobPayload;
}
