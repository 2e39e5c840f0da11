import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { Wallet } from 'ethers';
import {
  factsHash,
  signCertificate,
  verifyCertificate,
  verifyCertificateText,
  type AssetCertificate,
} from './index.js';

const read = (name: string) => readFileSync(new URL(`./vectors/${name}`, import.meta.url));
const fileBytes = read('certificate.json');
const certificate = JSON.parse(fileBytes.toString('utf8')) as AssetCertificate;
const known = JSON.parse(read('known-answer.json').toString('utf8')) as {
  signer: string;
  factsHash: string;
  canonicalFacts: string;
};
/** Hardhat's and anvil's account 0: a published test key, signing nothing real. */
const TEST_KEY = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');

describe('certificate known answer', () => {
  it('hashes the RFC 8785 canonical facts to the recorded hash', () => {
    expect(canonicalize(certificate.facts)).toBe(known.canonicalFacts);
    expect(factsHash(certificate.facts)).toBe(known.factsHash);
    expect(certificate.factsHash).toBe(known.factsHash);
  });

  it('verifies, naming its signer, with and without an expected signer', () => {
    expect(verifyCertificate(certificate)).toMatchObject({ ok: true, signer: known.signer });
    expect(verifyCertificate(certificate, known.signer)).toMatchObject({ ok: true });
    expect(verifyCertificate(certificate, known.signer.toLowerCase())).toMatchObject({ ok: true });
    expect(verifyCertificateText(fileBytes.toString('utf8'), known.signer).ok).toBe(true);
  });

  it('is what signing the same content gives again (deterministic RFC 6979 signature)', async () => {
    const { facts, registrationNumber, assetId, version, status, issuedAt, ledgerIndex } = certificate;
    const again = await signCertificate(TEST_KEY, {
      format: 'hdde-asset-certificate/1',
      registrationNumber,
      assetId,
      version,
      status,
      issuedAt,
      ledgerIndex,
      facts,
    });
    expect(again).toEqual(certificate);
  });

  it('refuses a genuine certificate of another signer than the expected one', () => {
    const other = Wallet.createRandom().address;
    const verdict = verifyCertificate(certificate, other);
    expect(verdict).toMatchObject({ ok: false, signer: known.signer });
    expect(verdict.ok || verdict.reason).toContain(known.signer);
  });
});

describe('certificate mutations', () => {
  /** Every byte of the file as stored, changed one at a time: none of them verifies. */
  it.each([
    ['flipping the lowest bit', (b: number) => b ^ 0x01],
    [
      'flipping the case bit of a letter',
      (b: number) => (/[A-Za-z]/.test(String.fromCharCode(b)) ? b ^ 0x20 : b),
    ],
  ])('refuses the file with any one byte changed by %s', (_what, change) => {
    const accepted: number[] = [];
    let tried = 0;
    for (let i = 0; i < fileBytes.length; i++) {
      const changed = change(fileBytes[i]);
      if (changed === fileBytes[i]) continue;
      const copy = Buffer.from(fileBytes);
      copy[i] = changed;
      tried++;
      if (verifyCertificateText(copy.toString('utf8'), known.signer).ok) accepted.push(i);
    }
    expect(tried).toBeGreaterThan(1000);
    expect(accepted).toEqual([]);
  });

  const text = fileBytes.toString('utf8');
  it.each([
    ['truncated', text.slice(0, -2)],
    ['trailing garbage', `${text}x`],
    ['two documents', `${text}${text}`],
    ['empty', ''],
    ['an array', `[${text}]`],
    ['null', 'null'],
  ])('refuses a file %s', (_what, changed) => {
    expect(verifyCertificateText(changed, known.signer).ok).toBe(false);
  });

  const mutations: [string, (c: any) => void][] = [
    ['an added field', (c) => (c.extra = 1)],
    ['a removed field', (c) => delete c.ledgerIndex],
    ['a field added to the facts', (c) => (c.facts.extra = 1)],
    ['a reordered right', (c) => c.facts.rights.reverse()],
    [
      'a swapped share',
      (c) => ([c.facts.rights[1].shareBasisPoints, c.facts.rights[2].shareBasisPoints] = [4000, 6000]),
    ],
    ['the facts hash of other facts', (c) => (c.factsHash = factsHash({ ...c.facts, title: 'x' }))],
    ['a version as a string', (c) => (c.version = String(c.version))],
    ['a signature of another certificate', (c) => (c.signature = c.signature.replace(/^0x../, '0x00'))],
    ['a stated signer that did not sign', (c) => (c.signer = Wallet.createRandom().address)],
    ['an uppercase signature', (c) => (c.signature = '0x' + c.signature.slice(2).toUpperCase())],
    ['a lowercase signer address', (c) => (c.signer = c.signer.toLowerCase())],
    ['issuedAt without milliseconds', (c) => (c.issuedAt = c.issuedAt.replace('.000', ''))],
    ['an impossible date', (c) => (c.issuedAt = '2026-02-30T08:30:00.000Z')],
    ['another format', (c) => (c.format = 'hdde-asset-certificate/2')],
  ];
  it.each(mutations)('refuses %s', (_what, mutate) => {
    const copy = structuredClone(certificate) as any;
    mutate(copy);
    expect(verifyCertificate(copy, known.signer).ok).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    for (const value of [
      undefined,
      null,
      0,
      'x',
      [],
      {},
      { facts: 1n },
      { ...certificate, facts: { n: 1n } },
    ])
      expect(() => verifyCertificate(value, known.signer)).not.toThrow();
  });
});
