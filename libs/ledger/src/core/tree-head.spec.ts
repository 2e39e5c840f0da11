import { Wallet } from 'ethers';
import {
  signTreeHead,
  TREE_HEAD_TYPES,
  treeHeadSigningDescription,
  verifyTreeHeadSignature,
  type SignedTreeHead,
  type TreeHead,
} from './tree-head.js';
import { LedgerError } from './ledger-error.js';

const wallet = new Wallet('0x' + '11'.repeat(32));
const other = new Wallet('0x' + '22'.repeat(32));
const head: TreeHead = {
  treeSize: 42,
  rootHash: Buffer.alloc(32, 7).toString('base64'),
  timestamp: 1_750_000_000_123,
  hashAlgorithm: 'sha256',
};

describe('signed tree heads', () => {
  let signed: SignedTreeHead;
  beforeAll(async () => {
    signed = await signTreeHead(wallet, head);
  });

  it('verifies against the signer address, in any letter case', () => {
    expect(verifyTreeHeadSignature(signed, wallet.address)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature(signed, wallet.address.toLowerCase())).toEqual({ ok: true });
  });

  it('rejects another signer', async () => {
    expect(verifyTreeHeadSignature(signed, other.address).ok).toBe(false);
    expect(verifyTreeHeadSignature(await signTreeHead(other, head), wallet.address).ok).toBe(false);
  });

  it.each<[string, Partial<SignedTreeHead>]>([
    ['treeSize', { treeSize: 43 }],
    ['rootHash', { rootHash: Buffer.alloc(32, 8).toString('base64') }],
    ['timestamp', { timestamp: head.timestamp + 1 }],
    ['hashAlgorithm', { hashAlgorithm: 'sm3' }],
  ])('rejects a changed %s', (_, change) => {
    const verdict = verifyTreeHeadSignature({ ...signed, ...change }, wallet.address);
    expect(verdict.ok).toBe(false);
  });

  it('rejects malformed heads and signatures without throwing', () => {
    const flipped =
      signed.signature.slice(0, 10) + (signed.signature[10] === 'a' ? 'b' : 'a') + signed.signature.slice(11);
    for (const bad of [
      { ...signed, signature: flipped },
      { ...signed, signature: '0x1234' },
      { ...signed, signature: signed.signature.slice(0, -2) + 'ff' },
      { ...signed, rootHash: 'not base64!' },
      { ...signed, rootHash: Buffer.alloc(31).toString('base64') },
      { ...signed, treeSize: -1 },
      { ...signed, hashAlgorithm: 'md5' as 'sm3' },
    ]) {
      expect(verifyTreeHeadSignature(bad, wallet.address).ok).toBe(false);
    }
    expect(verifyTreeHeadSignature(signed, 'not an address').ok).toBe(false);
  });

  it('refuses to sign a malformed head', async () => {
    await expect(signTreeHead(wallet, { ...head, timestamp: 1.5 })).rejects.toThrow(LedgerError);
  });

  it('describes the signing scheme for /v1/ledger/key', () => {
    const description = treeHeadSigningDescription(wallet.address.toLowerCase());
    expect(description.signerAddress).toBe(wallet.address);
    expect(description.domain).toEqual({ name: 'DataExchangeLedger', version: '1' });
    expect(description.types.TreeHead).toEqual(TREE_HEAD_TYPES.TreeHead);
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
  });
});
