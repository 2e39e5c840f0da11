import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { keccak256, Wallet, getBytes } from 'ethers';

/** Web3 Secret Storage v3, the keystore format geth, ethers and wallets read. */
export interface KeystoreV3 {
  version: 3;
  id: string;
  address: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt';
    kdfparams: { n: number; r: number; p: number; dklen: 32; salt: string };
    mac: string;
  };
}

const derive = (password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

const mac = (derived: Buffer, ciphertext: Buffer): Buffer =>
  Buffer.from(getBytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]))));

/**
 * Encrypts a secp256k1 private key into a v3 keystore with node:crypto's native scrypt (N = 2^17 by default, as
 * geth's "standard"). Precondition: `password` is the keystore password from the environment, never logged.
 */
export async function encryptKeystore(wallet: Wallet, password: string, n = 2 ** 17): Promise<KeystoreV3> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = await derive(password, salt, n, 8, 1);
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(getBytes(wallet.privateKey))), cipher.final()]);
  return {
    version: 3,
    id: crypto.randomUUID(),
    address: wallet.address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      kdfparams: { n, r: 8, p: 1, dklen: 32, salt: salt.toString('hex') },
      mac: mac(derived, ciphertext).toString('hex'),
    },
  };
}

/** Opens a v3 scrypt keystore; throws on a wrong password or a changed file (the MAC covers the ciphertext). */
export async function decryptKeystore(keystore: KeystoreV3, password: string): Promise<Wallet> {
  // geth and ethers write the section as "Crypto"; the standard says "crypto".
  const section = keystore.crypto ?? (keystore as unknown as { Crypto?: KeystoreV3['crypto'] }).Crypto;
  if (keystore.version !== 3 || section?.kdf !== 'scrypt' || section.cipher !== 'aes-128-ctr') {
    throw new Error('unsupported keystore: expected version 3 with scrypt and aes-128-ctr');
  }
  const { kdfparams, cipherparams, ciphertext, mac: expected } = section;
  const body = Buffer.from(ciphertext, 'hex');
  const derived = await derive(
    password,
    Buffer.from(kdfparams.salt, 'hex'),
    kdfparams.n,
    kdfparams.r,
    kdfparams.p,
  );
  const want = Buffer.from(expected, 'hex');
  const got = mac(derived, body);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw new Error('wrong keystore password');
  const decipher = createDecipheriv(
    'aes-128-ctr',
    derived.subarray(0, 16),
    Buffer.from(cipherparams.iv, 'hex'),
  );
  const key = Buffer.concat([decipher.update(body), decipher.final()]);
  const wallet = new Wallet(`0x${key.toString('hex')}`);
  if (wallet.address.slice(2).toLowerCase() !== keystore.address.toLowerCase())
    throw new Error('keystore address mismatch');
  return wallet;
}
