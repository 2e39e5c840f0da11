import type { ColumnSpec, ParamSetId } from '@app/he/evaluation';

/** A filter on one public column; rows pass when every filter holds. */
export interface ComputationFilter {
  readonly column: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in';
  readonly value: number | readonly number[];
}

/**
 * Everything a sandbox worker needs to evaluate a computation, by content hash: the platform writes it when it
 * queues the computation (so the worker reads no contract, listing or dataset row) and the worker loads each
 * blob from the blob store, checking its SHA-256. Public material only: ciphertexts, evaluation keys, public columns.
 */
export interface ComputationJobSpec {
  readonly computationId: string;
  readonly recipe: string;
  readonly bindings: Readonly<Record<string, string | readonly string[]>>;
  /** SHA-256 of the parameters' JSON in the blob store (weights can be a million numbers), or null for none. */
  readonly paramsSha256: string | null;
  readonly rows: number;
  /** Every encrypted column the recipe reads (indicator columns of a histogram included). */
  readonly columns: Readonly<
    Record<
      string,
      { readonly spec: ColumnSpec; readonly paramSet: ParamSetId; readonly ciphertexts: readonly string[] }
    >
  >;
  /** Public columns the filters read: name → blob SHA-256 (`rows` little-endian float64 values, as uploaded). */
  readonly publicColumns: Readonly<Record<string, string>>;
  readonly filters: readonly ComputationFilter[];
  /** Evaluation keys per parameter set, by blob SHA-256. */
  readonly keys: readonly {
    readonly paramSet: ParamSetId;
    readonly relinKeys: string;
    readonly galoisKeys: string;
  }[];
}

/**
 * What the data holder's agent seals to the buyer (JSON, then HPKE): the recipe's answer computed from the noised
 * aggregates, the noised aggregates themselves at their resolution, and what the release cost.
 */
export interface ReleasedResult {
  readonly format: 'exchange-released-result/1';
  readonly computationId: string;
  readonly contractId: string;
  readonly recipe: string;
  readonly output: number | number[] | Readonly<Record<string, number | number[]>>;
  /** Aggregate name → noised value (exact decimal string at `resolution`). */
  readonly aggregates: Readonly<Record<string, string>>;
  readonly resolution: string;
  readonly rowsAggregated: number;
  /** ε this release spent, decimal string with up to 3 places ("1.000"). */
  readonly epsilonSpent: string;
  /** For a repeat: the earlier release whose values these are (nothing spent). */
  readonly repeatOf?: string;
}
