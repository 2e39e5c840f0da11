import { openSecretKey, sealSecretKey } from './keystore.js';
import { KEYSTORE_MAGIC } from './keystore-format.js';
import { openUnderPassphrase, sealUnderPassphrase } from './passphrase-box.js';

const MAGIC = Uint8Array.from([0x54, 0x45, 0x53, 0x54, 0x01]);
const PASSPHRASE = 'a passphrase of some length';

describe('sealUnderPassphrase / openUnderPassphrase', () => {
  it('round-trips the header and the secret, and only with the passphrase and the magic', async () => {
    const secret = Uint8Array.from({ length: 40 }, (_, i) => i);
    const file = await sealUnderPassphrase(MAGIC, { kind: 'test', n: 1 }, secret, PASSPHRASE);
    expect(Buffer.from(file).includes(Buffer.from(secret))).toBe(false);
    const opened = await openUnderPassphrase(MAGIC, file, PASSPHRASE);
    expect(opened.header).toEqual({ kind: 'test', n: 1 });
    expect(Buffer.from(opened.secret).equals(Buffer.from(secret))).toBe(true);
    await expect(openUnderPassphrase(MAGIC, file, PASSPHRASE + '.')).rejects.toThrow(/wrong passphrase/);
    await expect(openUnderPassphrase(KEYSTORE_MAGIC, file, PASSPHRASE)).rejects.toThrow(/not a key file/);
    await expect(sealUnderPassphrase(MAGIC, {}, secret, 'short')).rejects.toThrow(/at least 12/);
  });

  it('refuses a file whose clear header was changed (it is authenticated)', async () => {
    const file = await sealUnderPassphrase(MAGIC, { kind: 'test' }, Uint8Array.of(1, 2, 3), PASSPHRASE);
    const text = Buffer.from(file);
    const at = text.indexOf('test');
    text[at] = 'b'.charCodeAt(0);
    await expect(openUnderPassphrase(MAGIC, new Uint8Array(text), PASSPHRASE)).rejects.toThrow(/corrupted/);
  });
});

describe('the HE keystore on the shared passphrase box', () => {
  // Made by the keystore before it moved onto `sealUnderPassphrase`: the byte layout did not change.
  const EARLIER_FILE =
    'SEVTSwF9tw6VJTb7COdO6LIvnJxx5H0Wq6qJVnQ/OaLjND9KJz6iqcp+2u8bO0VUvgAAAER7InBhcmFtU2V0IjoiY2trcy04MTkyLWQxIiwiZ2Fsb2lzU3RlcHMiOlsxLC0xXSwibGVuZ3RocyI6WzMsMiwxLDRdfRZTuHgr0fl5/0w=';

  it('opens a keystore written before the move', async () => {
    const keys = await openSecretKey(Buffer.from(EARLIER_FILE, 'base64'), 'an old keystore passphrase');
    expect(keys).toEqual({
      paramSet: 'ckks-8192-d1',
      secretKey: Uint8Array.from([1, 2, 3]),
      publicKey: Uint8Array.from([4, 5]),
      relinKeys: Uint8Array.from([6]),
      galoisKeys: Uint8Array.from([7, 8, 9, 10]),
      galoisSteps: [1, -1],
    });
  });

  it('still round-trips a key set', async () => {
    const keys = {
      paramSet: 'ckks-8192-d1' as const,
      secretKey: Uint8Array.from([9, 9]),
      publicKey: Uint8Array.from([8]),
      relinKeys: Uint8Array.from([7, 7, 7]),
      galoisKeys: Uint8Array.from([]),
      galoisSteps: [],
    };
    expect(await openSecretKey(await sealSecretKey(keys, PASSPHRASE), PASSPHRASE)).toEqual(keys);
  });
});
