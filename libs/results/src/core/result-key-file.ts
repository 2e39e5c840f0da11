import { openUnderPassphrase, sealUnderPassphrase } from '@app/he';
import {
  X25519_KEY_BYTES,
  fromBase64Url,
  resultKeyId,
  resultPublicKeyOf,
  toBase64Url,
  type ResultKeyPair,
} from './result-envelope.js';

/** Magic prefix of a buyer's passphrase-sealed result key file ("XRSK" v1), distinct from the HE keystore's. */
export const RESULT_KEY_FILE_MAGIC: Uint8Array = Uint8Array.from([0x58, 0x52, 0x53, 0x4b, 0x01]);

/** What a result key file says in the clear (authenticated): the public half and its key id. */
export interface ResultKeyFileHeader {
  kind: 'x25519-result-key';
  publicKey: string;
  keyId: string;
}

/**
 * SECRET. The buyer's result key pair sealed under a passphrase, with the same at-rest mechanism as the HE
 * keystore (`sealUnderPassphrase` of `@app/he`: scrypt → AES-256-GCM). The public key and key id are in the
 * authenticated header, so `readResultKeyFileHeader` shows them without the passphrase.
 */
export async function sealResultKeyFile(pair: ResultKeyPair, passphrase: string): Promise<Uint8Array> {
  const header: ResultKeyFileHeader = {
    kind: 'x25519-result-key',
    publicKey: toBase64Url(pair.publicKey),
    keyId: resultKeyId(pair.publicKey),
  };
  return sealUnderPassphrase(RESULT_KEY_FILE_MAGIC, header, pair.privateKey, passphrase);
}

/** The header of a result key file, unauthenticated (no passphrase): for showing, never for trusting. */
export function readResultKeyFileHeader(file: Uint8Array): ResultKeyFileHeader {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const m = RESULT_KEY_FILE_MAGIC.length;
  if (buf.length < m + 48 || !buf.subarray(0, m).equals(RESULT_KEY_FILE_MAGIC))
    throw new Error('not a result key file');
  const length = buf.readUInt32BE(m + 44);
  const header = JSON.parse(buf.subarray(m + 48, m + 48 + length).toString('utf8')) as ResultKeyFileHeader;
  if (header.kind !== 'x25519-result-key') throw new Error('not a result key file');
  return header;
}

/**
 * SECRET. Opens a result key file: the key pair, checked (the private key's public half is the one in the
 * header). Throws on a wrong passphrase, another kind of file or any modification.
 */
export async function openResultKeyFile(file: Uint8Array, passphrase: string): Promise<ResultKeyPair> {
  const { header, secret } = await openUnderPassphrase(RESULT_KEY_FILE_MAGIC, file, passphrase);
  const h = header as ResultKeyFileHeader;
  const publicKey = fromBase64Url(h.publicKey);
  if (h.kind !== 'x25519-result-key' || secret.length !== X25519_KEY_BYTES || !publicKey)
    throw new Error('not a result key file');
  if (!Buffer.from(resultPublicKeyOf(secret)).equals(publicKey))
    throw new Error('result key file: the private key does not match its public key');
  return { publicKey, privateKey: secret };
}
