import type { Ciphertext } from 'node-seal';
import type { CiphertextBlob } from './ciphertext-blob.js';
import { fixedPointFactor } from './column-spec.js';
import type { EncryptedColumn } from './encrypted-dataset.js';
import type { EvaluationSession } from './evaluation-session.js';
import type { ParamSet } from './param-sets.js';
import { withScope, type WasmScope } from './wasm-scope.js';

/**
 * One encrypted aggregate over rows: Σ x, Σ x·y (x may equal y) or Σ w·x with a plaintext weight per row.
 * A public filter mask, when given, multiplies every term.
 */
export type AggregateTerm =
  | { readonly op: 'sum'; readonly column: string }
  | { readonly op: 'product'; readonly left: string; readonly right: string }
  | { readonly op: 'weighted'; readonly column: string; readonly weights: ArrayLike<number> };

/** What the capacity check reads of a column: its declared range and its row count. */
export type SizedColumn = Pick<EncryptedColumn, 'spec' | 'rows'>;

export class CapacityError extends Error {
  override readonly name = 'CapacityError';
}

/** Multiplicative depth of a term: products and weights cost one level, a CKKS/BFV mask one more unless folded. */
export function termDepth(term: AggregateTerm, masked: boolean): number {
  if (term.op === 'sum') return masked ? 1 : 0;
  if (term.op === 'weighted') return 1; // the mask folds into the weights
  return masked ? 2 : 1;
}

/** Upper bound on |aggregate| in encoded units (fixed-point integers for BFV), from declared ranges. */
export function termBound(term: AggregateTerm, columns: Readonly<Record<string, SizedColumn>>): number {
  const mag = (name: string) => {
    const s = columns[name].spec;
    return Math.max(Math.abs(s.min), Math.abs(s.max)) * fixedPointFactor(s);
  };
  if (term.op === 'sum') return columns[term.column].rows * mag(term.column);
  if (term.op === 'product') return columns[term.left].rows * mag(term.left) * mag(term.right);
  let w = 0;
  for (let i = 0; i < term.weights.length; i++) w += Math.abs(term.weights[i]);
  return w * mag(term.column);
}

/**
 * Throws CapacityError unless every term fits the parameter set: depth within the set's levels
 * (BFV: noise allows one multiplication) and the range-derived bound below the set's headroom.
 */
export function checkTerms(
  session: EvaluationSession | ParamSet,
  terms: Readonly<Record<string, AggregateTerm>>,
  columns: Readonly<Record<string, SizedColumn>>,
  masked: boolean,
): void {
  const p = 'he' in session ? session.he.params : session;
  for (const [name, term] of Object.entries(terms)) {
    const depth = termDepth(term, masked);
    if (depth > p.depth) {
      throw new CapacityError(`${name}: needs ${depth} multiplications, ${p.id} allows ${p.depth}`);
    }
    const bound = termBound(term, columns);
    if (!(bound < 2 ** p.capacityBits[depth])) {
      throw new CapacityError(
        `${name}: declared ranges allow |result| up to ${bound.toExponential(2)}, beyond ${p.id} at depth ${depth}`,
      );
    }
    if (p.scheme === 'bfv' && term.op === 'weighted') {
      for (let i = 0; i < term.weights.length; i++) {
        if (!Number.isSafeInteger(term.weights[i]))
          throw new CapacityError(`${name}: BFV weights must be integers`);
      }
    }
  }
}

/** The columns a set of terms reads. */
export function termInputs(terms: Readonly<Record<string, AggregateTerm>>): Set<string> {
  const used = new Set<string>();
  for (const t of Object.values(terms)) {
    if (t.op === 'product') used.add(t.left).add(t.right);
    else used.add(t.column);
  }
  return used;
}

/**
 * Where `accumulateTerms` reads chunk i of a column: `chunk` returns it loaded (the caller may keep it loaded across
 * calls, e.g. in a cache: it is only read, never modified) and valid until `endChunk(i)`, which is called once every
 * term has used chunk index i.
 */
export interface ChunkSource {
  readonly chunkCount: number;
  chunk(column: string, i: number): Ciphertext;
  endChunk?(i: number): void;
}

/**
 * Adds every term over the source's chunks into one accumulator per term, tracked by `scope` and not finalised
 * (products unrelinearised, no slot sum): accumulators of disjoint chunk ranges add into the accumulators of their
 * union, so a job's rows can be split across threads and the partials summed before `finishAggregates`.
 * Preconditions: inputs verified and loaded under the session's parameter set; `checkTerms` passed; `mask` and
 * every term's weights are indexed from the source's first chunk (row i·slots + k of chunk i).
 */
export function accumulateTerms(
  session: EvaluationSession,
  source: ChunkSource,
  terms: Readonly<Record<string, AggregateTerm>>,
  mask: ArrayLike<number> | undefined,
  scope: WasmScope,
): Map<string, Ciphertext> {
  const names = Object.keys(terms);
  const slots = session.slots;
  const { seal, evaluator } = session.he;
  // Everything per chunk reuses these: the masked copy of each input, a product scratch pair, two plaintexts and
  // their slot buffers. Nothing is allocated per chunk.
  const masked = new Map<string, { ct: Ciphertext; at: number }>();
  const product = scope.track(new seal.Ciphertext());
  const scratch = scope.track(new seal.Ciphertext());
  const maskPt = scope.track(new seal.Plaintext());
  const weightPt = scope.track(new seal.Plaintext());
  const maskBuf = new Float64Array(slots);
  const weightBuf = new Float64Array(slots);
  let maskAt = -1;
  const acc = new Map<string, Ciphertext>();

  for (let i = 0; i < source.chunkCount; i++) {
    const get = (c: string) => source.chunk(c, i);
    const getMasked = (c: string) => {
      let f = masked.get(c);
      if (!f) masked.set(c, (f = { ct: scope.track(new seal.Ciphertext()), at: -1 }));
      if (f.at !== i) {
        const x = get(c);
        if (maskAt !== i) {
          sliceRowsInto(mask!, i * slots, maskBuf);
          session.encodeInto(maskBuf, x, maskPt);
          maskAt = i;
        }
        evaluator.multiplyPlain(x, maskPt, f.ct);
        if (session.he.ckks) evaluator.rescaleToNextInplace(f.ct);
        f.at = i;
      }
      return f.ct;
    };
    for (const name of names) {
      const t = terms[name];
      const a = acc.get(name);
      if (t.op === 'sum') {
        const x = mask ? getMasked(t.column) : get(t.column);
        if (a) evaluator.addInplace(a, x);
        else acc.set(name, scope.track(x.copy())); // x is reloaded or cached: the accumulator is a copy
        continue;
      }
      // Products and weighted terms go straight into a new accumulator on the first chunk.
      const out = a ? product : scope.track(new seal.Ciphertext());
      if (t.op === 'product') {
        session.multiplyInto(mask ? getMasked(t.left) : get(t.left), get(t.right), out, scratch);
      } else {
        sliceRowsInto(t.weights, i * slots, weightBuf);
        if (mask) {
          if (maskAt !== i) sliceRowsInto(mask, i * slots, maskBuf); // else it already holds chunk i's mask
          for (let k = 0; k < slots; k++) weightBuf[k] *= maskBuf[k];
        }
        const x = get(t.column);
        evaluator.multiplyPlain(x, session.encodeInto(weightBuf, x, weightPt), out);
      }
      if (a) evaluator.addInplace(a, out);
      else acc.set(name, out);
    }
    source.endChunk?.(i);
  }
  return acc;
}

/** Finalises accumulators in place (relinearise, rescale, slot sum) and serialises them, every slot holding the total. */
export function finishAggregates(
  session: EvaluationSession,
  acc: ReadonlyMap<string, Ciphertext>,
  scope: WasmScope,
): Record<string, CiphertextBlob> {
  const out: Record<string, CiphertextBlob> = {};
  for (const [name, a] of acc) {
    session.finalize(a, scope);
    out[name] = session.save(a);
  }
  return out;
}

/**
 * Evaluates all terms in one pass over the chunks (each input chunk is loaded once) and returns the
 * serialised aggregates, every slot holding the total.
 * Preconditions: all columns share the session's parameter set and row layout; input hashes verified;
 * `checkTerms` passed; `mask` (0/1 per row) has one entry per row when given.
 */
export function evaluateTerms(
  session: EvaluationSession,
  columns: Readonly<Record<string, EncryptedColumn>>,
  terms: Readonly<Record<string, AggregateTerm>>,
  mask?: ArrayLike<number>,
): Record<string, CiphertextBlob> {
  const used = termInputs(terms);
  const chunkCount = Math.max(...[...used].map((c) => columns[c].chunks.length));
  for (const c of used) {
    if (columns[c].chunks.length !== chunkCount) throw new Error(`column ${c}: chunk count differs`);
  }
  return withScope((scope) => {
    // One ciphertext per input column, reloaded in place for each chunk.
    const fresh = new Map<string, { ct: Ciphertext; at: number }>();
    for (const c of used) fresh.set(c, { ct: scope.track(new session.he.seal.Ciphertext()), at: -1 });
    const source: ChunkSource = {
      chunkCount,
      chunk(c, i) {
        const f = fresh.get(c)!;
        if (f.at !== i) {
          session.loadInto(columns[c].chunks[i], f.ct);
          f.at = i;
        }
        return f.ct;
      },
    };
    return finishAggregates(session, accumulateTerms(session, source, terms, mask, scope), scope);
  });
}

/** Copies values[start, start + out.length) into `out`, zero past the end of `values`. */
function sliceRowsInto(values: ArrayLike<number>, start: number, out: Float64Array): void {
  const end = Math.min(values.length, start + out.length);
  if (end < start + out.length) out.fill(0);
  if (values instanceof Float64Array) out.set(values.subarray(start, end));
  else for (let i = start; i < end; i++) out[i - start] = values[i]!;
}
