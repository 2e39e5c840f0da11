/**
 * Counts attempts per key (client address, username) in a sliding minute and says how long to wait when over the
 * limit. In-process: a single API node is the embedded default; lock-out itself lives in the database.
 */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Records an attempt; returns seconds to wait when the key is over its limit, else 0. */
  hit(key: string): number {
    const now = this.now();
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 100_000) this.prune(now);
    return recent.length > this.perMinute ? Math.ceil((60_000 - (now - recent[0])) / 1000) : 0;
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((t) => now - t >= 60_000)) this.attempts.delete(key);
    }
  }
}
