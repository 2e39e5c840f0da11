/** Magic prefix of the passphrase-encrypted key file ("HESK" v1); evaluation payloads carrying it are rejected. */
export const KEYSTORE_MAGIC: Uint8Array = Uint8Array.from([0x48, 0x45, 0x53, 0x4b, 0x01]);

export function startsWithKeystoreMagic(bytes: Uint8Array): boolean {
  return bytes.length >= KEYSTORE_MAGIC.length && KEYSTORE_MAGIC.every((b, i) => bytes[i] === b);
}
