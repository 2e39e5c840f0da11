import { Wallet, encryptKeystoreJson } from 'ethers';
import { decryptKeystore, encryptKeystore, type KeystoreV3 } from './keystore.js';

describe('v3 keystore on native scrypt', () => {
  const wallet = Wallet.createRandom();

  it('round-trips, and ethers opens what it writes', async () => {
    const keystore = await encryptKeystore(new Wallet(wallet.privateKey), 'pass phrase', 2 ** 12);
    expect((await decryptKeystore(keystore, 'pass phrase')).address).toBe(wallet.address);
    expect((await Wallet.fromEncryptedJson(JSON.stringify(keystore), 'pass phrase')).address).toBe(
      wallet.address,
    );
    expect(JSON.stringify(keystore)).not.toContain(wallet.privateKey.slice(2));
  });

  it('opens what ethers writes', async () => {
    const json = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, 'pw', {
      scrypt: { N: 2 ** 12 },
    });
    expect((await decryptKeystore(JSON.parse(json) as KeystoreV3, 'pw')).address).toBe(wallet.address);
  });

  it('refuses a wrong password and a changed ciphertext', async () => {
    const keystore = await encryptKeystore(new Wallet(wallet.privateKey), 'right', 2 ** 12);
    await expect(decryptKeystore(keystore, 'wrong')).rejects.toThrow(/wrong keystore password/);
    const flipped = keystore.crypto.ciphertext.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await expect(
      decryptKeystore({ ...keystore, crypto: { ...keystore.crypto, ciphertext: flipped } }, 'right'),
    ).rejects.toThrow(/wrong keystore password/);
  });
});
