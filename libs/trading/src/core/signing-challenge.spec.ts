import { Signature, Wallet } from 'ethers';
import {
  SIGNING_CHALLENGE_TTL_MS,
  challengeRefusal,
  normaliseSignature,
  recoverPersonalSigner,
  signingChallengeMessage,
} from './signing-challenge.js';

/** Hardhat's and anvil's accounts 0 and 1: published test keys, signing nothing real. */
const key = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const otherKey = new Wallet('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');

const issuedAt = new Date('2026-12-02T04:00:00.000Z');
const facts = {
  organisationId: '0f8b6b2e-3a4f-4c1e-9d2a-5b6c7d8e9f00',
  organisationName: '海东数据科技有限公司',
  nonce: '9f86d081884c7d659a2feaa0c55ad015',
  issuedAt,
  expiresAt: new Date(issuedAt.getTime() + SIGNING_CHALLENGE_TTL_MS),
};

describe('the signing-address challenge', () => {
  it('names the organisation, the nonce and the expiry, line by line', () => {
    const lines = signingChallengeMessage(facts).split('\n');
    expect(lines).toContain(`organisation: ${facts.organisationId}`);
    expect(lines).toContain(`nonce: ${facts.nonce}`);
    expect(lines).toContain('issued at: 2026-12-02T04:00:00.000Z');
    expect(lines).toContain('expires at: 2026-12-02T04:10:00.000Z');
    expect(lines.some((l) => l.includes('"海东数据科技有限公司"'))).toBe(true);
  });

  it('keeps a name with line breaks on one line, so it cannot forge the fields below it', () => {
    const message = signingChallengeMessage({
      ...facts,
      organisationName: 'Evil\norganisation: 00000000-0000-4000-8000-000000000000',
    });
    expect(message.split('\n').filter((l) => l.startsWith('organisation: '))).toEqual([
      `organisation: ${facts.organisationId}`,
    ]);
  });

  it('recovers the key that personal-signed it, and another address for other text or another key', async () => {
    const message = signingChallengeMessage(facts);
    const signature = await key.signMessage(message);
    expect(recoverPersonalSigner(message, signature)).toBe(key.address);
    expect(
      recoverPersonalSigner(signingChallengeMessage({ ...facts, nonce: '0'.repeat(32) }), signature),
    ).not.toBe(key.address);
    expect(recoverPersonalSigner(message, await otherKey.signMessage(message))).toBe(otherKey.address);
    expect(recoverPersonalSigner(message, '0x1234')).toBeNull();
  });

  it('is refused for another organisation, once used, and from its expiry on', () => {
    const challenge = { organisationId: facts.organisationId, expiresAt: facts.expiresAt, usedAt: null };
    const justBefore = new Date(facts.expiresAt.getTime() - 1);
    expect(challengeRefusal(challenge, facts.organisationId, justBefore)).toBeNull();
    expect(challengeRefusal(challenge, facts.organisationId, facts.expiresAt)?.code).toBe(
      'challenge_expired',
    );
    expect(challengeRefusal(challenge, '11111111-1111-4111-8111-111111111111', issuedAt)?.code).toBe(
      'challenge_other_organisation',
    );
    expect(challengeRefusal({ ...challenge, usedAt: issuedAt }, facts.organisationId, issuedAt)?.code).toBe(
      'challenge_used',
    );
  });
});

describe('normaliseSignature', () => {
  it('keeps a 65-byte signature and expands an EIP-2098 compact one to the same', async () => {
    const signature = await key.signMessage('x');
    expect(normaliseSignature(signature)).toBe(signature.toLowerCase());
    expect(normaliseSignature(Signature.from(signature).compactSerialized)).toBe(signature.toLowerCase());
    expect(normaliseSignature(signature.toUpperCase().replace('0X', '0x'))).toBe(signature.toLowerCase());
  });

  it('refuses what is not a signature: wrong length, not hex, a high s, a bad v', async () => {
    const signature = await key.signMessage('x');
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt('0x' + signature.slice(66, 130));
    const highS = signature.slice(0, 66) + (n - s).toString(16).padStart(64, '0') + signature.slice(130);
    for (const bad of [
      '',
      '0x',
      signature.slice(0, -4),
      signature + '00',
      signature.replace(/^0x./, '0xg'),
      highS,
      signature.slice(0, 130) + '05',
    ])
      expect(normaliseSignature(bad)).toBeNull();
  });
});
