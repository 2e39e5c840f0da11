import { Money } from './money.js';

describe('Money', () => {
  it('allocates every fen: parts sum to the whole', () => {
    for (const [total, weights] of [
      [100n, [1, 1, 1]],
      [1n, [5, 3, 2]],
      [999_999n, [70, 20, 10]],
      [7n, [0, 1, 1]],
    ] as const) {
      const parts = Money.fen(total).allocate(weights);
      expect(parts.reduce((a, b) => a + b.fen, 0n)).toBe(total);
      weights.forEach((w, i) => w === 0 && expect(parts[i].fen).toBe(0n));
    }
  });

  it('refuses fractional fen', () => {
    expect(() => Money.fen(1.5)).toThrow(/whole number of fen/);
  });
});
