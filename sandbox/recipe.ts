import type { AggregateTerm, ColumnSpec } from '@app/he/evaluation';

// Sandbox code imports only the secret-free half of @app/he, by path: the `@app/he` alias resolves
// to the full index, which also exports key generation and decryption.

export type ColumnKind = ColumnSpec['kind'];

/** An input role of a recipe: which column kinds it accepts, and whether it takes several columns. */
export interface RecipeInput {
  readonly role: string;
  readonly kinds: readonly ColumnKind[];
  readonly many?: boolean;
  /** The column must carry histogram buckets (its encrypted indicator columns are used). */
  readonly bucketed?: boolean;
}

/** What a recipe sees when planning: bound column names per role, their specs and the filtered row count. */
export interface PlanContext {
  readonly roles: Readonly<Record<string, readonly string[]>>;
  readonly specs: Readonly<Record<string, ColumnSpec>>;
  /** Rows aggregated after the public filter (public: derived from row count and public columns only). */
  readonly n: number;
  readonly rows: number;
}

/** Encrypted aggregates to compute, and public numbers the finishing step needs. */
export interface RecipePlan {
  readonly terms: Readonly<Record<string, AggregateTerm>>;
  readonly clear: Readonly<Record<string, number>>;
}

export interface OutputShape {
  readonly kind: 'scalar' | 'vector' | 'record';
  readonly description: string;
}

export type RecipeOutput = number | number[] | Readonly<Record<string, number | number[]>>;

/**
 * A catalogue entry. `plan` runs in the sandbox with public information only; the terms it returns
 * are evaluated on ciphertext with evaluation keys. `finish` runs on the data holder's side on the
 * decrypted aggregates (`values`, keyed by term name) and the plan's `clear` numbers.
 */
export interface Recipe<P = unknown> {
  readonly id: string;
  readonly summary: string;
  readonly inputs: readonly RecipeInput[];
  readonly output: OutputShape;
  /** Refused when fewer rows remain after the filter. */
  readonly minRows: number;
  /** Validates raw parameters; throws on anything unexpected. */
  parseParams(raw: unknown, ctx: { rows: number }): P;
  plan(ctx: PlanContext, params: P): RecipePlan;
  finish(
    values: Readonly<Record<string, number>>,
    clear: Readonly<Record<string, number>>,
    params: P,
  ): RecipeOutput;
}

export class RecipeError extends Error {
  override readonly name = 'RecipeError';
}
