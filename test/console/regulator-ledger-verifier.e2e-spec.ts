import { createHash, randomBytes } from 'node:crypto';
import { Wallet } from 'ethers';
import {
  appendLeaves,
  encodeBase64,
  encodeLeafInput,
  hashLeaf,
  inclusionProof,
  MemoryNodeStore,
  signTreeHead,
  verifyInclusion,
  verifyTreeHeadSignature,
  type HashAlgorithm,
  type SignedTreeHead,
} from '@app/ledger/core';
import { sm3 } from '../../apps/console/src/pages/regulator/sm3.js';
import { verifyInBrowser, type Check } from '../../apps/console/src/pages/regulator/ledger-verify.js';

/**
 * The regulator console's in-browser ledger checks (WebCrypto SHA-256, its own SM3, ethers' EIP-712 recovery) agree
 * with `@app/ledger/core` (node:crypto) on every leaf of trees of many sizes, over both hashes: both accept the
 * genuine proofs and heads, both refuse every single flipped proof byte, a wrong signer and a changed entry.
 */
const signer = Wallet.createRandom();
const stranger = Wallet.createRandom();
const ok = (checks: Check[]) => checks.map((c) => [c.name, c.ok]);

it('computes SM3 as the standard and OpenSSL do', () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  // GB/T 32905-2016, examples A.1 and A.2.
  expect(hex(sm3(Buffer.from('abc')))).toBe(
    '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  );
  expect(hex(sm3(Buffer.from('abcd'.repeat(16))))).toBe(
    'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
  );
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
    const data = randomBytes(length);
    expect(hex(sm3(data))).toBe(createHash('sm3').update(data).digest('hex'));
  }
});

describe.each<HashAlgorithm>(['sha256', 'sm3'])('over %s', (algorithm) => {
  it('agrees with the core on every leaf of trees of size 1 to 17, and on tampering', async () => {
    for (let size = 1; size <= 17; size++) {
      const inputs = Array.from({ length: size }, (_, index) =>
        encodeLeafInput({
          index,
          time: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
          actor: { accountId: `a${index}`, organisationId: null },
          action: 'ledger.read',
          subjectIds: [`s${index}`],
          payload: { note: '监管抽查', n: index },
        }),
      );
      const store = new MemoryNodeStore(algorithm);
      const { rootHash } = await appendLeaves(
        store,
        0,
        inputs.map((input) => hashLeaf(algorithm, input)),
      );
      const head: SignedTreeHead = await signTreeHead(signer, {
        treeSize: size,
        rootHash: encodeBase64(rootHash),
        timestamp: 1_767_225_600_000 + size,
        hashAlgorithm: algorithm,
      });
      expect(verifyTreeHeadSignature(head, signer.address).ok).toBe(true);
      for (let leafIndex = 0; leafIndex < size; leafIndex++) {
        const proof = await inclusionProof(store, leafIndex, size);
        const evidence = {
          leafIndex,
          leafInput: encodeBase64(inputs[leafIndex]),
          head,
          inclusionPath: proof.map(encodeBase64),
          signerAddress: signer.address,
          hashAlgorithm: algorithm,
        };
        const core = verifyInclusion({
          hashAlgorithm: algorithm,
          leafIndex,
          treeSize: size,
          leafHash: hashLeaf(algorithm, inputs[leafIndex]),
          proof,
          rootHash,
        });
        expect(core.ok).toBe(true);
        const checks = await verifyInBrowser(evidence);
        expect(ok(checks)).toEqual([
          ['leaf', true],
          ['root', true],
          ['signature', true],
        ]);
        expect(checks[0].computed).toBe(Buffer.from(hashLeaf(algorithm, inputs[leafIndex])).toString('hex'));
        expect(checks[1].computed).toBe(Buffer.from(rootHash).toString('hex'));

        // Every flipped byte of the path: the core and the browser both refuse it.
        for (let element = 0; element < proof.length; element++) {
          const tampered = proof.map((p) => Uint8Array.from(p));
          tampered[element][leafIndex % 32] ^= 0x01;
          const coreVerdict = verifyInclusion({
            hashAlgorithm: algorithm,
            leafIndex,
            treeSize: size,
            leafHash: hashLeaf(algorithm, inputs[leafIndex]),
            proof: tampered,
            rootHash,
          });
          const browser = await verifyInBrowser({ ...evidence, inclusionPath: tampered.map(encodeBase64) });
          expect([coreVerdict.ok, browser[1].ok]).toEqual([false, false]);
          expect([browser[0].ok, browser[2].ok]).toEqual([true, true]);
        }
        // A path one element short or long: refused by both.
        if (proof.length > 0) {
          const short = await verifyInBrowser({
            ...evidence,
            inclusionPath: evidence.inclusionPath.slice(1),
          });
          expect(short[1].ok).toBe(false);
        }
        const long = await verifyInBrowser({
          ...evidence,
          inclusionPath: [...evidence.inclusionPath, encodeBase64(rootHash)],
        });
        expect(long[1].ok).toBe(false);
      }
    }
  });

  it('refuses a head signed by another key, a changed head and a changed entry, as the core does', async () => {
    const inputs = [0, 1, 2].map((index) =>
      encodeLeafInput({
        index,
        time: '2026-01-01T00:00:00.000Z',
        actor: { accountId: null, organisationId: null },
        action: 'ledger.read',
        subjectIds: [],
        payload: null,
      }),
    );
    const store = new MemoryNodeStore(algorithm);
    const { rootHash } = await appendLeaves(
      store,
      0,
      inputs.map((input) => hashLeaf(algorithm, input)),
    );
    const unsigned = {
      treeSize: 3,
      rootHash: encodeBase64(rootHash),
      timestamp: 1,
      hashAlgorithm: algorithm,
    };
    const evidence = {
      leafIndex: 1,
      leafInput: encodeBase64(inputs[1]),
      head: await signTreeHead(stranger, unsigned),
      inclusionPath: (await inclusionProof(store, 1, 3)).map(encodeBase64),
      signerAddress: signer.address,
      hashAlgorithm: algorithm,
    };
    expect(verifyTreeHeadSignature(evidence.head, signer.address).ok).toBe(false);
    expect(ok(await verifyInBrowser(evidence))).toEqual([
      ['leaf', true],
      ['root', true],
      ['signature', false],
    ]);
    const genuine = await signTreeHead(signer, unsigned);
    const later = { ...genuine, timestamp: 2 };
    expect(verifyTreeHeadSignature(later, signer.address).ok).toBe(false);
    expect((await verifyInBrowser({ ...evidence, head: later }))[2].ok).toBe(false);
    // Another entry's bytes at this index: not this index's entry, and not in the tree here.
    expect(
      ok(await verifyInBrowser({ ...evidence, head: genuine, leafInput: encodeBase64(inputs[0]) })),
    ).toEqual([
      ['leaf', false],
      ['root', false],
      ['signature', true],
    ]);
    // A byte changed in the entry: still a well-formed entry, but it no longer leads to the signed root.
    const changed = Buffer.from(inputs[1]);
    changed[changed.indexOf('ledger.read') + 1] ^= 0x20;
    expect(
      ok(await verifyInBrowser({ ...evidence, head: genuine, leafInput: encodeBase64(changed) })),
    ).toEqual([
      ['leaf', true],
      ['root', false],
      ['signature', true],
    ]);
  });
});
