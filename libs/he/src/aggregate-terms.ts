import type { Ciphertext } from 'node-seal';
import type { CiphertextBlob } from './ciphertext-blob.js';
import { fixedPointFactor } from './column-spec.js';
import type { EncryptedColumn } from './encrypted-dataset.js';
import type { EvaluationSession } from './evaluation-session.js';
import { withScope, type WasmScope } from './wasm-scope.js';

/**
 * One encrypted aggregate over rows: Σ x, Σ x·y (x may equal y) or Σ w·x with a plaintext weight per row.
 * A public filter mask, when given, multiplies every term.
 */
export type AggregateTerm =
  | { readonly op: 'sum'; readonly column: string }
  | { readonly op: 'product'; readonly left: string; readonly right: string }
  | { readonly op: 'weighted'; readonly column: string; readonly weights: ArrayLike<number> };

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
export function termBound(term: AggregateTerm, columns: Readonly<Record<string, EncryptedColumn>>): number {
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
  session: EvaluationSession,
  terms: Readonly<Record<string, AggregateTerm>>,
  columns: Readonly<Record<string, EncryptedColumn>>,
  masked: boolean,
): void {
  const p = session.he.params;
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
  const names = Object.keys(terms);
  const used = new Set<string>();
  for (const t of Object.values(terms)) {
    if (t.op === 'product') used.add(t.left).add(t.right);
    else used.add(t.column);
  }
  const chunkCount = Math.max(...[...used].map((c) => columns[c].chunks.length));
  for (const c of used) {
    if (columns[c].chunks.length !== chunkCount) throw new Error(`column ${c}: chunk count differs`);
  }
  const slots = session.slots;

  return withScope((outer) => {
    const acc = new Map<string, Ciphertext>();
    for (let i = 0; i < chunkCount; i++) {
      withScope((scope) => {
        const fresh = new Map<string, Ciphertext>();
        const masked = new Map<string, Ciphertext>();
        const maskSlice = mask ? sliceRows(mask, i * slots, slots) : undefined;
        const get = (c: string) => {
          let ct = fresh.get(c);
          if (!ct) fresh.set(c, (ct = session.load(columns[c].chunks[i], scope)));
          return ct;
        };
        const getMasked = (c: string) => {
          let ct = masked.get(c);
          if (!ct) {
            const x = get(c);
            const pt = session.encodeFor(maskSlice!, x, scope);
            masked.set(c, (ct = session.multiplyPlain(x, pt, scope, true)));
          }
          return ct;
        };
        for (const name of names) {
          const t = terms[name];
          let ct: Ciphertext;
          if (t.op === 'sum') ct = maskSlice ? getMasked(t.column) : get(t.column);
          else if (t.op === 'product')
            ct = session.multiply(maskSlice ? getMasked(t.left) : get(t.left), get(t.right), scope);
          else {
            const w = sliceRows(t.weights, i * slots, slots);
            if (maskSlice) for (let k = 0; k < w.length; k++) w[k] *= maskSlice[k];
            const x = get(t.column);
            ct = session.multiplyPlain(x, session.encodeFor(w, x, scope), scope);
          }
          accumulate(session, acc, name, ct, outer);
        }
      });
    }
    const out: Record<string, CiphertextBlob> = {};
    for (const name of names) {
      const a = acc.get(name)!;
      session.finalize(a, outer);
      out[name] = session.save(a);
    }
    return out;
  });
}

function accumulate(
  session: EvaluationSession,
  acc: Map<string, Ciphertext>,
  name: string,
  ct: Ciphertext,
  outer: WasmScope,
): void {
  const a = acc.get(name);
  if (a) {
    session.addInplace(a, ct);
    return;
  }
  // The first chunk's ciphertext becomes the accumulator; it may be shared with other terms, so copy it.
  acc.set(name, outer.track(ct.copy()));
}

function sliceRows(values: ArrayLike<number>, start: number, length: number): Float64Array {
  const out = new Float64Array(length);
  const end = Math.min(values.length, start + length);
  for (let i = start; i < end; i++) out[i - start] = values[i]!;
  return out;
}
