import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { Redis } from 'ioredis';
import { APP_CONFIG, Clock, Unauthenticated, type AppConfig } from '@app/core';
import { ApiToken } from './entities/api-token.entity.js';
import type { OrganisationStatus, Role } from './entities/organisation.entity.js';
import { PrincipalCache, type CredentialChange } from './principal-cache.js';
import { rolesOfScopes, type Principal } from './principal.js';
import { fromJson, toMillis, type SqlDate } from './row-values.js';
import { API_TOKEN_PREFIX, SESSION_PREFIX, hashToken } from './token-hash.js';

/** Last use of an API token is a convenience figure: written at most this often per token and node. */
const LAST_USE_WRITE_INTERVAL_MS = 60_000;

// One statement per credential kind, each a join from the bearer's hash to the party: the text never changes, so
// the driver can keep it prepared. Expiry, `disabled` and the JSON roles are judged in code, which keeps the
// parameters to the hash alone (SQLite and PostgreSQL store dates and booleans differently).
const SESSION_SQL = `select s.id as credential_id, s.second_factor_done, s.expires_at, a.id as account_id,
  a.disabled, a.organisation_id, o.roles, o.status
  from sessions s join accounts a on a.id = s.account_id join organisations o on o.id = a.organisation_id
  where s.token_hash = ? and s.revoked_at is null`;
const TOKEN_SQL = `select t.id as credential_id, t.scopes, t.expires_at, t.last_used_at, a.id as account_id,
  a.disabled, a.organisation_id, o.roles, o.status
  from api_tokens t join accounts a on a.id = t.account_id join organisations o on o.id = a.organisation_id
  where t.token_hash = ? and t.revoked_at is null`;

interface CredentialRow {
  credential_id: string;
  account_id: string;
  organisation_id: string;
  disabled: boolean | number;
  roles: string | Role[];
  status: OrganisationStatus;
  expires_at: SqlDate;
  second_factor_done?: boolean | number;
  scopes?: string | string[];
  last_used_at?: SqlDate;
}

/** The principal a credential grants: the party's roles while it is admitted, narrowed by a token's scopes. */
export function principalFor(row: {
  accountId: string;
  organisationId: string;
  roles: Role[];
  status: OrganisationStatus;
  via: 'session' | 'token';
  credentialId: string;
  secondFactorDone: boolean;
  scopes?: string[];
}): Principal {
  const inForce: Role[] = row.status === 'admitted' ? row.roles : [];
  let roles = inForce;
  let writeRoles = inForce;
  if (row.scopes) {
    const scoped = rolesOfScopes(row.scopes);
    roles = inForce.filter((r) => scoped.read.includes(r));
    writeRoles = inForce.filter((r) => scoped.write.includes(r));
  }
  return {
    accountId: row.accountId,
    organisationId: row.organisationId,
    roles,
    writeRoles,
    via: row.via,
    secondFactorDone: row.secondFactorDone,
    credentialId: row.credentialId,
  };
}

/**
 * Resolves a bearer credential (session or API token) to its principal: one joined query on a cache miss, and a
 * short-lived, bounded in-process cache (see `PrincipalCache` and docs/identity-cache.md).
 *
 * Whatever changes what a credential grants calls `invalidate` after its commit: the change is applied on this
 * node at once and, when REDIS_URL is set, published to every other node. Without Redis, or when a message is
 * lost, the cache's lifetime (`PRINCIPAL_CACHE_TTL_MS`) bounds how long another node may still accept it.
 */
@Injectable()
export class CredentialResolver implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CredentialResolver');
  private readonly cache: PrincipalCache;
  private readonly lastUseWritten = new Map<string, number>();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private readonly channel: string;
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cache = new PrincipalCache(() => this.clock.now().getTime());
    this.channel = `${config.redis?.prefix ?? 'dx'}:identity:invalidate`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.redis) return;
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: true };
    this.publisher = new Redis(this.config.redis.url, options);
    this.subscriber = new Redis(this.config.redis.url, options);
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    const subscriber = this.subscriber;
    let subscribed = false;
    const subscribe = async (): Promise<void> => {
      try {
        await subscriber.subscribe(this.channel);
        subscribed = true;
      } catch (error) {
        // The cache's lifetime still bounds staleness meanwhile; the next reconnection tries again.
        this.logger.warn(
          `no invalidations from other nodes until Redis answers: ${(error as Error).message}`,
        );
      }
    };
    // Messages published while this node was cut off from Redis are lost: forget everything on reconnecting.
    subscriber.on('ready', () => {
      this.cache.clear();
      if (!subscribed) void subscribe();
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.cache.invalidate(JSON.parse(message) as CredentialChange);
      } catch {
        this.cache.clear();
      }
    });
    await subscribe();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.pendingWrites);
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  /** Throws Unauthenticated for an unknown, revoked or expired credential or a disabled account. */
  async resolve(bearer: string): Promise<Principal> {
    const tokenHash = hashToken(bearer);
    const cached = this.cache.get(tokenHash);
    if (cached) {
      if (cached.via === 'token') void this.noteUse(cached.credentialId, null);
      return cached;
    }
    const lookup = this.cache.begin();
    const isSession = bearer.startsWith(`${SESSION_PREFIX}_`);
    if (!isSession && !bearer.startsWith(`${API_TOKEN_PREFIX}_`)) throw this.refusal();
    const rows = (await this.orm.em
      .getConnection()
      .execute(isSession ? SESSION_SQL : TOKEN_SQL, [tokenHash], 'all')) as CredentialRow[];
    const row = rows[0];
    const now = this.clock.now().getTime();
    const expiresAt = toMillis(row?.expires_at);
    if (!row || Boolean(row.disabled) || (expiresAt !== null && expiresAt <= now)) throw this.refusal();
    const principal = principalFor({
      accountId: row.account_id,
      organisationId: row.organisation_id,
      roles: fromJson<Role[]>(row.roles),
      status: row.status,
      via: isSession ? 'session' : 'token',
      credentialId: row.credential_id,
      secondFactorDone: isSession ? Boolean(row.second_factor_done) : true,
      ...(isSession ? {} : { scopes: fromJson<string[]>(row.scopes ?? '[]') }),
    });
    this.cache.set(tokenHash, principal, expiresAt, lookup);
    // A miss already waits for the database; a due last-use write joins it there (at most once a minute).
    if (!isSession) await this.noteUse(principal.credentialId, toMillis(row.last_used_at));
    return principal;
  }

  /**
   * Forgets what a change made stale, on this node at once and on the others through Redis when it is set.
   * Call it after the change committed (`tx.afterCommit`), so no node can re-read the old state afterwards.
   */
  async invalidate(change: CredentialChange): Promise<void> {
    this.cache.invalidate(change);
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify(change));
    } catch (error) {
      this.logger.warn(
        `invalidation not sent to other nodes (their cache expires within its lifetime): ${(error as Error).message}`,
      );
    }
  }

  private refusal(): Unauthenticated {
    return new Unauthenticated('invalid or expired credential');
  }

  /** Records an API token's last use at most once a minute per token and node; never fails the request. */
  private async noteUse(tokenId: string, storedMs: number | null): Promise<void> {
    const now = this.clock.now().getTime();
    const last = Math.max(this.lastUseWritten.get(tokenId) ?? 0, storedMs ?? 0);
    if (now - last < LAST_USE_WRITE_INTERVAL_MS) {
      if (!this.lastUseWritten.has(tokenId)) this.rememberUse(tokenId, last);
      return;
    }
    this.rememberUse(tokenId, now);
    const write = this.orm.em
      .fork()
      .nativeUpdate(ApiToken, { id: tokenId }, { lastUsedAt: new Date(now) })
      .catch((error: unknown) =>
        this.logger.warn(`last use of a token not recorded: ${(error as Error).message}`),
      )
      .finally(() => this.pendingWrites.delete(write));
    this.pendingWrites.add(write);
    await write;
  }

  private rememberUse(tokenId: string, at: number): void {
    if (this.lastUseWritten.size >= 10_000 && !this.lastUseWritten.has(tokenId)) this.lastUseWritten.clear();
    this.lastUseWritten.set(tokenId, at);
  }
}
