import type { Principal } from './principal.js';

/** How long a resolved credential is trusted without asking the database: the bound on a missed invalidation. */
export const PRINCIPAL_CACHE_TTL_MS = 5_000;
/** At most this many credentials are kept; the least recently resolved is dropped first. */
export const PRINCIPAL_CACHE_MAX_ENTRIES = 10_000;

/** What changed: one credential (revoked, logged out, second factor given), or everything of an account or party. */
export type CredentialChange =
  { kind: 'credential'; id: string } | { kind: 'account'; id: string } | { kind: 'organisation'; id: string };

interface Entry {
  principal: Principal;
  /** Milliseconds; the sooner of the cache's lifetime and the credential's own expiry. */
  until: number;
}

/** Taken before a lookup reads the database: what `set` needs to judge the answer's age. */
export interface Lookup {
  readonly generation: number;
  readonly startedAt: number;
}

/**
 * Resolved principals by token hash, for a few seconds, bounded in size. Pure bookkeeping on an injected clock:
 * the node-wide service and the cross-node fan-out live in `CredentialResolver`.
 *
 * Two rules make the bound exact. An answer lives `ttlMs` from the moment its lookup started (before it read the
 * database), so it never outlives a change committed after that read by more than `ttlMs`. And a lookup that
 * began before an invalidation on this node may not store its (possibly stale) answer after it.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = PRINCIPAL_CACHE_TTL_MS,
    private readonly maxEntries = PRINCIPAL_CACHE_MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  begin(): Lookup {
    return { generation: this.generation, startedAt: this.now() };
  }

  get(tokenHash: string): Principal | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  /** Keeps what `lookup` found; `credentialExpiresAt` (ms) caps its life. Returns whether it was kept. */
  set(tokenHash: string, principal: Principal, credentialExpiresAt: number | null, lookup: Lookup): boolean {
    if (lookup.generation !== this.generation) return false;
    const until = Math.min(lookup.startedAt + this.ttlMs, credentialExpiresAt ?? Number.POSITIVE_INFINITY);
    if (until <= this.now()) return false;
    this.entries.delete(tokenHash);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { principal, until });
    return true;
  }

  invalidate(change: CredentialChange): void {
    this.generation++;
    for (const [hash, { principal }] of this.entries) {
      const hit =
        change.kind === 'credential'
          ? principal.credentialId === change.id
          : change.kind === 'account'
            ? principal.accountId === change.id
            : principal.organisationId === change.id;
      if (hit) this.entries.delete(hash);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
