import { ValidationFailed } from './domain-error.js';

/** An amount of CNY in fen (1/100 yuan). Integers only: money is never a float. */
export class Money {
  private constructor(readonly fen: bigint) {}

  static fen(value: bigint | number): Money {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new ValidationFailed(`amount must be a whole number of fen, got ${value}`);
    }
    return new Money(BigInt(value));
  }

  static zero(): Money {
    return new Money(0n);
  }

  plus(other: Money): Money {
    return new Money(this.fen + other.fen);
  }

  minus(other: Money): Money {
    return new Money(this.fen - other.fen);
  }

  isNegative(): boolean {
    return this.fen < 0n;
  }

  equals(other: Money): boolean {
    return this.fen === other.fen;
  }

  /** Splits by integer weights; the remainder fen go to the earliest shares so the parts always sum to the whole. */
  allocate(weights: readonly number[]): Money[] {
    if (weights.length === 0 || weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
      throw new ValidationFailed('weights must be non-negative whole numbers');
    }
    const total = weights.reduce((a, b) => a + BigInt(b), 0n);
    if (total === 0n) throw new ValidationFailed('weights must not all be zero');
    const parts = weights.map((w) => (this.fen * BigInt(w)) / total);
    let remainder = this.fen - parts.reduce((a, b) => a + b, 0n);
    for (let i = 0; remainder > 0n; i = (i + 1) % parts.length) {
      if (weights[i] === 0) continue;
      parts[i] += 1n;
      remainder -= 1n;
    }
    return parts.map((p) => new Money(p));
  }

  toJSON(): string {
    return this.fen.toString();
  }
}
