import type { ParamSetId } from './param-sets.js';

/** Keys anyone may hold: they encrypt (public key) or evaluate (relinearisation, Galois), never decrypt. */
export interface PublicKeyMaterial {
  readonly paramSet: ParamSetId;
  /** zstd-serialised SEAL PublicKey. */
  readonly publicKey: Uint8Array;
  /** zstd-serialised RelinKeys. */
  readonly relinKeys: Uint8Array;
  /** zstd-serialised GaloisKeys, only for `galoisSteps`. */
  readonly galoisKeys: Uint8Array;
  readonly galoisSteps: readonly number[];
}
