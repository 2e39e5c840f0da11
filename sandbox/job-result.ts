import type { CiphertextBlob, ParamSetId } from '@app/he/evaluation';

/** What the sandbox returns: encrypted aggregates, public numbers, and the hashes binding inputs to output. */
export interface JobResult {
  readonly recipe: string;
  readonly params: unknown;
  readonly paramSet: ParamSetId;
  /** SHA-256 of every input ciphertext (by column, in chunk order) and of the evaluation keys used. */
  readonly inputHashes: Readonly<Record<string, readonly string[]>>;
  readonly outputs: Readonly<
    Record<string, { readonly paramSet: ParamSetId; readonly blob: CiphertextBlob }>
  >;
  /** Public numbers for `finish` (e.g. the filtered row count, fixed-point factors). */
  readonly clear: Readonly<Record<string, number>>;
  /** SHA-256 over the sorted output names and their ciphertext hashes. */
  readonly outputSha256: string;
}
