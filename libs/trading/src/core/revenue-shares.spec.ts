import fc from 'fast-check';
import { DATA_RIGHTS } from '@app/compliance';
import { revenueShares, type AssetRights } from './revenue-shares.js';

const whole = (org: string): AssetRights['rights'] =>
  DATA_RIGHTS.map((right) => ({ right, organisationId: org, shareBasisPoints: 10_000 }));

describe('revenueShares (DE 43)', () => {
  it('gives everything to the one holder of every right', () => {
    expect(revenueShares([{ rights: whole('a') }])).toEqual([{ organisationId: 'a', basisPoints: 10_000 }]);
  });

  it('gives each right a third: holder, processor and operator of one asset', () => {
    const shares = revenueShares([
      {
        rights: [
          { right: 'holding', organisationId: 'h', shareBasisPoints: 10_000 },
          { right: 'processing', organisationId: 'p', shareBasisPoints: 10_000 },
          { right: 'operation', organisationId: 'o', shareBasisPoints: 10_000 },
        ],
      },
    ]);
    // 3333.33… each; the one basis point left goes to the smallest id.
    expect(shares).toEqual([
      { organisationId: 'h', basisPoints: 3334 },
      { organisationId: 'o', basisPoints: 3333 },
      { organisationId: 'p', basisPoints: 3333 },
    ]);
  });

  it('weighs assets equally and holders within a right by their basis points', () => {
    const shares = revenueShares([
      { rights: whole('a') },
      {
        rights: [
          { right: 'holding', organisationId: 'b', shareBasisPoints: 6_000 },
          { right: 'holding', organisationId: 'c', shareBasisPoints: 4_000 },
          { right: 'processing', organisationId: 'b', shareBasisPoints: 10_000 },
          { right: 'operation', organisationId: 'a', shareBasisPoints: 10_000 },
        ],
      },
    ]);
    // a: 1/2 + 1/6 = 6666.67; b: (0.6 + 1)/6 = 2666.67; c: 0.4/6 = 666.67 → 6667, 2667, 666.
    expect(shares).toEqual([
      { organisationId: 'a', basisPoints: 6667 },
      { organisationId: 'b', basisPoints: 2667 },
      { organisationId: 'c', basisPoints: 666 },
    ]);
  });

  it('refuses no assets and rights that are not whole', () => {
    expect(() => revenueShares([])).toThrow(RangeError);
    expect(() =>
      revenueShares([
        { rights: whole('a').map((r, i) => (i === 0 ? { ...r, shareBasisPoints: 9_999 } : r)) },
      ]),
    ).toThrow(RangeError);
    expect(() => revenueShares([{ rights: whole('a').slice(1) }])).toThrow(RangeError);
  });

  const orgs = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'];
  /** One right split among 1–4 distinct holders by random positive shares summing to 10,000. */
  const right = fc.uniqueArray(fc.constantFrom(...orgs), { minLength: 1, maxLength: 4 }).chain((holders) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: 9_999 }), {
        minLength: holders.length - 1,
        maxLength: holders.length - 1,
      })
      .map((cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
        return holders.map((organisationId, i) => ({
          organisationId,
          shareBasisPoints: points[i + 1] - points[i],
        }));
      }),
  );
  const asset = fc.tuple(right, right, right).map(([h, p, o]) => ({
    rights: [
      ...h.map((x) => ({ right: 'holding' as const, ...x })),
      ...p.map((x) => ({ right: 'processing' as const, ...x })),
      ...o.map((x) => ({ right: 'operation' as const, ...x })),
    ],
  }));

  it('always sums to 10,000 in positive whole shares, each within one basis point of the exact share', () => {
    fc.assert(
      fc.property(fc.array(asset, { minLength: 1, maxLength: 6 }), (assets) => {
        const shares = revenueShares(assets);
        expect(shares.reduce((s, x) => s + x.basisPoints, 0)).toBe(10_000);
        expect(new Set(shares.map((s) => s.organisationId)).size).toBe(shares.length);
        for (const s of shares) {
          expect(Number.isInteger(s.basisPoints) && s.basisPoints > 0).toBe(true);
          const weight = assets
            .flatMap((a) => a.rights)
            .filter((r) => r.organisationId === s.organisationId)
            .reduce((sum, r) => sum + r.shareBasisPoints, 0);
          const exact = weight / (3 * assets.length);
          expect(Math.abs(s.basisPoints - exact)).toBeLessThan(1);
        }
      }),
    );
  });

  it('is deterministic: the same rights in any order give the same shares', () => {
    fc.assert(
      fc.property(fc.array(asset, { minLength: 1, maxLength: 4 }), (assets) => {
        const reversed = [...assets].reverse().map((a) => ({ rights: [...a.rights].reverse() }));
        expect(revenueShares(reversed)).toEqual(revenueShares(assets));
      }),
    );
  });
});
