import type { Deletable } from '@app/he/evaluation';

/**
 * A byte-bounded LRU of loaded node-seal objects keyed by the SHA-256 of the blob they were loaded from. WebAssembly
 * memory is not garbage-collected, so an entry leaving the cache (evicted, refused, cleared) is `.delete()`d here.
 * A pinned entry (still needed by the job in progress) is never evicted; the cache may then stay above its budget
 * until the pins are released, and a new entry that cannot fit without evicting a pinned one is refused (deleted).
 */
export class ChunkCache<V extends Deletable> {
  private readonly entries = new Map<string, { value: V; bytes: number; pins: number }>();
  private used = 0;
  /** Keys evicted since the last `drainEvicted` (the owner reports them to whoever mirrors the cache). */
  private evicted: string[] = [];
  /** Objects this cache deleted (evicted, refused or cleared) since it was made. */
  deleted = 0;

  constructor(readonly budget: number) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.used;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The value, marked most recently used. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  pin(key: string): void {
    const e = this.entries.get(key);
    if (e) e.pins++;
  }

  unpin(key: string): void {
    const e = this.entries.get(key);
    if (e && e.pins > 0) e.pins--;
  }

  /**
   * Keeps `value` (now owned by the cache) as most recently used, evicting least recently used unpinned entries
   * to stay within the budget. Returns false, having deleted `value`, when it cannot fit.
   */
  put(key: string, value: V, bytes: number): boolean {
    if (this.entries.has(key)) {
      if (this.entries.get(key)!.value !== value) this.drop(value);
      this.get(key);
      return true;
    }
    if (bytes > this.budget) {
      this.drop(value);
      return false;
    }
    for (const [k, e] of this.entries) {
      if (this.used + bytes <= this.budget) break;
      if (e.pins > 0) continue;
      this.remove(k);
      this.evicted.push(k);
    }
    if (this.used + bytes > this.budget) {
      this.drop(value);
      return false;
    }
    this.entries.set(key, { value, bytes, pins: 0 });
    this.used += bytes;
    return true;
  }

  drainEvicted(): string[] {
    const out = this.evicted;
    this.evicted = [];
    return out;
  }

  /** Deletes every entry (pins included). */
  clear(): void {
    for (const k of [...this.entries.keys()]) this.remove(k);
    this.evicted = [];
  }

  private remove(key: string): void {
    const e = this.entries.get(key)!;
    this.entries.delete(key);
    this.used -= e.bytes;
    this.drop(e.value);
  }

  private drop(value: V): void {
    if (!value.isDeleted()) value.delete();
    this.deleted++;
  }
}
