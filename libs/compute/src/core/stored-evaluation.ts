/**
 * The sandbox's result as stored in the blob store and served to the data holder's agent: the encrypted aggregates
 * (base64 ciphertexts with their SHA-256), the public numbers the recipe's `finish` needs, and the hashes binding
 * inputs to output. Structurally the sandbox's `JobResult` with bytes as base64, so it crosses JSON unchanged.
 */
export interface StoredEvaluation {
  readonly format: 'exchange-evaluation/1';
  readonly recipe: string;
  readonly params: unknown;
  readonly paramSet: string;
  readonly inputHashes: Readonly<Record<string, readonly string[]>>;
  readonly outputs: Readonly<
    Record<string, { readonly paramSet: string; readonly sha256: string; readonly bytes: string }>
  >;
  readonly clear: Readonly<Record<string, number>>;
  readonly outputSha256: string;
}

interface JobResultLike {
  readonly recipe: string;
  readonly params: unknown;
  readonly paramSet: string;
  readonly inputHashes: Readonly<Record<string, readonly string[]>>;
  readonly outputs: Readonly<
    Record<
      string,
      { readonly paramSet: string; readonly blob: { readonly bytes: Uint8Array; readonly sha256: string } }
    >
  >;
  readonly clear: Readonly<Record<string, number>>;
  readonly outputSha256: string;
}

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function toStoredEvaluation(result: JobResultLike): StoredEvaluation {
  return {
    format: 'exchange-evaluation/1',
    recipe: result.recipe,
    params: result.params,
    paramSet: result.paramSet,
    inputHashes: result.inputHashes,
    outputs: Object.fromEntries(
      Object.entries(result.outputs).map(([name, o]) => [
        name,
        { paramSet: o.paramSet, sha256: o.blob.sha256, bytes: b64(o.blob.bytes) },
      ]),
    ),
    clear: result.clear,
    outputSha256: result.outputSha256,
  };
}

/** The inverse of `toStoredEvaluation`; the caller checks each output's SHA-256 (`assertIntact`) before use. */
export function fromStoredEvaluation(stored: StoredEvaluation): JobResultLike {
  return {
    recipe: stored.recipe,
    params: stored.params,
    paramSet: stored.paramSet,
    inputHashes: stored.inputHashes,
    outputs: Object.fromEntries(
      Object.entries(stored.outputs).map(([name, o]) => [
        name,
        {
          paramSet: o.paramSet,
          blob: { sha256: o.sha256, bytes: new Uint8Array(Buffer.from(o.bytes, 'base64')) },
        },
      ]),
    ),
    clear: stored.clear,
    outputSha256: stored.outputSha256,
  };
}
