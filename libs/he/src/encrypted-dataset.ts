import type { CiphertextBlob } from './ciphertext-blob.js';
import type { ColumnSpec } from './column-spec.js';
import type { ParamSetId } from './param-sets.js';

/** One encrypted column: row r sits in chunk ⌊r/slots⌋, slot r mod slots; unused slots hold 0. */
export interface EncryptedColumn {
  readonly spec: ColumnSpec;
  readonly paramSet: ParamSetId;
  readonly rows: number;
  readonly slots: number;
  readonly chunks: readonly CiphertextBlob[];
}

export interface EncryptedDataset {
  readonly rows: number;
  /** Encrypted columns by name, including bucket indicator columns `${name}#${i}`. */
  readonly columns: Readonly<Record<string, EncryptedColumn>>;
  /** Columns the data holder declared public, in plaintext (real values). */
  readonly publicColumns: Readonly<Record<string, Float64Array>>;
}

/** What the data holder publishes (e.g. to the ledger): specs and hashes, no ciphertext bytes. */
export interface DatasetManifest {
  readonly rows: number;
  readonly columns: Readonly<
    Record<
      string,
      { spec: ColumnSpec; paramSet: ParamSetId; rows: number; slots: number; sha256: readonly string[] }
    >
  >;
  readonly publicColumns: readonly string[];
}

export function manifestOf(dataset: EncryptedDataset): DatasetManifest {
  const columns: DatasetManifest['columns'] = Object.fromEntries(
    Object.entries(dataset.columns).map(([name, c]) => [
      name,
      {
        spec: c.spec,
        paramSet: c.paramSet,
        rows: c.rows,
        slots: c.slots,
        sha256: c.chunks.map((b) => b.sha256),
      },
    ]),
  );
  return { rows: dataset.rows, columns, publicColumns: Object.keys(dataset.publicColumns) };
}
