import fc from 'fast-check';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import {
  ResultEnvelopeError,
  fromBase64Url,
  generateResultKeyPair,
  openResult,
  parseResultPublicKey,
  resultKeyId,
  resultPublicKeyOf,
  sealResult,
  toBase64Url,
  type ResultEnvelope,
} from './result-envelope.js';
import { openResultKeyFile, readResultKeyFileHeader, sealResultKeyFile } from './result-key-file.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const binding = { computationId: 'c0a80101-0000-4000-8000-000000000001', contractId: 'contract-1' };
const text = (s: string) => new TextEncoder().encode(s);

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ResultEnvelopeError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RFC 9180 A.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256; base mode) through @hpke/core', () => {
  // The appendix publishes this KEM and KDF with AES-128-GCM only; the same KEM, KDF and key schedule seal our
  // results with AES-256-GCM. The vector pins the library's X25519 KEM and HKDF to the RFC's bytes.
  it('reproduces enc and the first ciphertext from the appendix', async () => {
    const suite = new CipherSuite({
      kem: new DhkemX25519HkdfSha256(),
      kdf: new HkdfSha256(),
      aead: new Aes128Gcm(),
    });
    const ikmE = hex('7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234');
    const pkRm = hex('3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d');
    const skRm = hex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8');
    const sender = await suite.createSenderContext({
      recipientPublicKey: await suite.kem.deserializePublicKey(pkRm),
      info: hex('4f6465206f6e2061204772656369616e2055726e'),
      ekm: ikmE,
    });
    expect(Buffer.from(sender.enc).toString('hex')).toBe(
      '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
    );
    const ct = await sender.seal(
      hex('4265617574792069732074727574682c20747275746820626561757479'),
      hex('436f756e742d30'),
    );
    expect(Buffer.from(ct).toString('hex')).toBe(
      'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
    );
    // The recipient's public key follows from its private key as the appendix says.
    expect(Buffer.from(resultPublicKeyOf(skRm)).toString('hex')).toBe(Buffer.from(pkRm).toString('hex'));
  });
});

describe('sealResult / openResult', () => {
  it('round-trips any bytes for any binding, and only for that binding (property)', async () => {
    const buyer = await generateResultKeyPair();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        async (plaintext, computationId, contractId) => {
          const envelope = await sealResult(buyer.publicKey, plaintext, { computationId, contractId });
          const opened = await openResult(buyer.privateKey, envelope, { computationId, contractId });
          expect(Buffer.from(opened).equals(Buffer.from(plaintext))).toBe(true);
          const other = { computationId: computationId + 'x', contractId };
          expect(await refusal(openResult(buyer.privateKey, envelope, other))).toBe('wrong_binding');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the suite, the format and the recipient key; seals afresh each time', async () => {
    const buyer = await generateResultKeyPair();
    const a = await sealResult(buyer.publicKey, text('{"sum":42}'), binding);
    const b = await sealResult(buyer.publicKey, text('{"sum":42}'), binding);
    expect(a).toMatchObject({
      format: 'exchange-result/1',
      suite: { kem: 0x20, kdf: 0x01, aead: 0x02 },
      keyId: resultKeyId(buyer.publicKey),
      ...binding,
    });
    expect(fromBase64Url(a.enc)).toHaveLength(32);
    expect(fromBase64Url(a.ciphertext)).toHaveLength(10 + 16);
    expect(a.enc).not.toBe(b.enc);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(
      new TextDecoder().decode(await openResult(buyer.privateKey, JSON.parse(JSON.stringify(a)), binding)),
    ).toBe('{"sum":42}');
  });

  it('does not open with another key', async () => {
    const buyer = await generateResultKeyPair();
    const other = await generateResultKeyPair();
    const envelope = await sealResult(buyer.publicKey, text('secret'), binding);
    expect(await refusal(openResult(other.privateKey, envelope, binding))).toBe('wrong_key');
    // Even when the envelope is relabelled with the other key's id, the HPKE decapsulation fails.
    const relabelled = { ...envelope, keyId: resultKeyId(other.publicKey) };
    expect(await refusal(openResult(other.privateKey, relabelled, binding))).toBe('not_authentic');
  });

  it('does not open with any byte of enc or ciphertext changed', async () => {
    const buyer = await generateResultKeyPair();
    const envelope = await sealResult(buyer.publicKey, text('a result of some length'), binding);
    for (const field of ['enc', 'ciphertext'] as const) {
      const bytes = fromBase64Url(envelope[field])!;
      for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
        const changed = Uint8Array.from(bytes);
        changed[at] ^= 0x01;
        const tampered: ResultEnvelope = { ...envelope, [field]: toBase64Url(changed) };
        expect(await refusal(openResult(buyer.privateKey, tampered, binding))).toBe('not_authentic');
      }
    }
  });

  it('does not open for another computation or contract, even when the envelope is relabelled', async () => {
    const buyer = await generateResultKeyPair();
    const envelope = await sealResult(buyer.publicKey, text('x'), binding);
    for (const other of [
      { ...binding, computationId: 'c0a80101-0000-4000-8000-000000000002' },
      { ...binding, contractId: 'contract-2' },
    ]) {
      expect(await refusal(openResult(buyer.privateKey, envelope, other))).toBe('wrong_binding');
      expect(await refusal(openResult(buyer.privateKey, { ...envelope, ...other }, other))).toBe(
        'not_authentic',
      );
    }
  });

  it('refuses other formats and suites', async () => {
    const buyer = await generateResultKeyPair();
    const envelope = await sealResult(buyer.publicKey, text('x'), binding);
    expect(
      await refusal(openResult(buyer.privateKey, { ...envelope, format: 'exchange-result/2' }, binding)),
    ).toBe('unsupported_format');
    const suite = { ...envelope.suite, aead: 0x01 };
    expect(await refusal(openResult(buyer.privateKey, { ...envelope, suite }, binding))).toBe(
      'unsupported_format',
    );
    expect(await refusal(openResult(buyer.privateKey, null, binding))).toBe('malformed_envelope');
    expect(await refusal(openResult(buyer.privateKey, { ...envelope, enc: 'not base64!' }, binding))).toBe(
      'malformed_envelope',
    );
  });
});

describe('public keys', () => {
  it('accepts a generated key and refuses what is not a 32-byte usable X25519 key', async () => {
    const { publicKey } = await generateResultKeyPair();
    const encoded = toBase64Url(publicKey);
    expect(encoded).toHaveLength(43);
    expect(Buffer.from(await parseResultPublicKey(encoded)).equals(Buffer.from(publicKey))).toBe(true);
    for (const bad of [
      '',
      encoded + '=',
      encoded.slice(1),
      encoded + 'AA',
      Buffer.from(publicKey).toString('base64'),
      toBase64Url(new Uint8Array(32)), // the all-zero (low-order) point
    ])
      if (bad !== encoded) expect(await refusal(parseResultPublicKey(bad))).toBe('invalid_public_key');
  });
});

describe('result key file', () => {
  const passphrase = 'a long enough passphrase';

  it('seals the private key under a passphrase and opens only with it', async () => {
    const pair = await generateResultKeyPair();
    const file = await sealResultKeyFile(pair, passphrase);
    expect(Buffer.from(file).includes(Buffer.from(pair.privateKey))).toBe(false);
    expect(readResultKeyFileHeader(file)).toEqual({
      kind: 'x25519-result-key',
      publicKey: toBase64Url(pair.publicKey),
      keyId: resultKeyId(pair.publicKey),
    });
    const opened = await openResultKeyFile(file, passphrase);
    expect(Buffer.from(opened.privateKey).equals(Buffer.from(pair.privateKey))).toBe(true);
    await expect(openResultKeyFile(file, passphrase + '!')).rejects.toThrow(/wrong passphrase/);
    const changed = Uint8Array.from(file);
    changed[changed.length - 1] ^= 1;
    await expect(openResultKeyFile(changed, passphrase)).rejects.toThrow(/wrong passphrase or corrupted/);
    await expect(sealResultKeyFile(pair, 'short')).rejects.toThrow(/at least 12/);
  });
});
