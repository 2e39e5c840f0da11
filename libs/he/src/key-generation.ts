import { slotSumSteps } from './galois-steps.js';
import { createHeContext } from './he-context.js';
import type { PublicKeyMaterial } from './key-material.js';
import { getParamSet, type ParamSetId } from './param-sets.js';

/** SECRET. The full key set, held only on the data holder's side. */
export interface SecretKeyMaterial extends PublicKeyMaterial {
  /** zstd-serialised SEAL SecretKey; store it only through `sealSecretKey`. */
  readonly secretKey: Uint8Array;
}

/**
 * Data-holder side: generates a key set for one parameter set. Galois keys are made only for
 * `galoisSteps` (default: the slot-sum steps, all the catalogue's recipes need).
 */
export async function generateKeys(
  paramSet: ParamSetId,
  galoisSteps?: readonly number[],
): Promise<SecretKeyMaterial> {
  const he = await createHeContext(paramSet);
  const { seal } = he;
  const steps = galoisSteps ?? slotSumSteps(getParamSet(paramSet));
  const zstd = seal.ComprModeType.zstd;
  const keygen = new seal.KeyGenerator(he.context);
  const sk = keygen.secretKey();
  const pk = keygen.createPublicKey();
  const relin = keygen.createRelinKeysSerializable();
  const galois = keygen.createGaloisKeysSerializableWithSteps(Int32Array.from(steps));
  try {
    return {
      paramSet,
      secretKey: sk.saveToArray(zstd) as Uint8Array,
      publicKey: pk.saveToArray(zstd) as Uint8Array,
      relinKeys: relin.saveToArray(zstd) as Uint8Array,
      galoisKeys: galois.saveToArray(zstd) as Uint8Array,
      galoisSteps: [...steps],
    };
  } finally {
    galois.delete();
    relin.delete();
    pk.delete();
    sk.delete();
    keygen.delete();
    he.dispose();
  }
}

/** Strips the secret key: what may be handed to evaluators. */
export function publicPart(keys: SecretKeyMaterial): PublicKeyMaterial {
  const { paramSet, publicKey, relinKeys, galoisKeys, galoisSteps } = keys;
  return { paramSet, publicKey, relinKeys, galoisKeys, galoisSteps };
}
