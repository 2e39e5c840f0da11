import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import canonicalize from 'canonicalize';
import { DomainError, RuleRefused } from '@app/core';
import type { BlobStore } from '@app/blobs';
import type { ComputationCode, ComputationFilter } from './core/index.js';

/**
 * A platform pre-check or release check refused a computation: 422 `{code, message}` (plus `article` where a rule
 * of the regulations decided it). Thrown inside the use case's transaction, so nothing it wrote stays.
 */
export class ComputationRefused extends DomainError {
  constructor(code: ComputationCode, message: string) {
    super('refused', code, message);
  }
}

/** The refusal for `code`: with the article of the rule that decided it when there is one. */
export const refusal = (code: ComputationCode, message: string, article?: string): DomainError =>
  article ? new RuleRefused(article, code, message) : new ComputationRefused(code, message);

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** RFC 8785 canonical JSON of a value (what is hashed and stored for parameters). */
export const canonicalJson = (value: unknown): string => canonicalize(value) ?? 'null';

/** A blob's whole bytes, checked against its name (a tampered store is never computed on). */
export async function readBlob(blobs: BlobStore, sha256: string): Promise<Buffer> {
  const stream: Readable = await blobs.open(sha256);
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  const bytes = Buffer.concat(parts);
  if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} does not hash to its name`);
  return bytes;
}

/** A public column as `exchange dataset upload` stores it: `rows` little-endian float64 values. */
export function publicColumnValues(bytes: Buffer, rows: number): Float64Array {
  if (bytes.length !== rows * 8) throw new Error(`a public column of ${rows} rows is ${rows * 8} bytes`);
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = bytes.readDoubleLE(i * 8);
  return values;
}

/** Whether `x` passes one filter. */
export function passes(filter: ComputationFilter, x: number): boolean {
  const v = filter.value;
  switch (filter.op) {
    case 'eq':
      return x === v;
    case 'ne':
      return x !== v;
    case 'lt':
      return x < (v as number);
    case 'le':
      return x <= (v as number);
    case 'gt':
      return x > (v as number);
    case 'ge':
      return x >= (v as number);
    case 'in':
      return (v as readonly number[]).includes(x);
  }
}

/** A decimal string of thousandths: 1000 → "1.000". */
export const milliToDecimal = (milli: number): string =>
  `${Math.trunc(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;
