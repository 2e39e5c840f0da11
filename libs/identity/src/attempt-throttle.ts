import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, Clock, DomainError, SecretBox, type AppConfig } from '@app/core';
import { UnitOfWork } from '@app/database';

/** One counter: `limit` attempts per `windowSeconds` for each key of this kind. */
export interface AttemptLimit {
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts attempts per key (client address, username) in fixed time windows, where every API node sees them: in
 * Redis when REDIS_URL is set, else in the database's `attempt_counters` table. Keys are stored as keyed digests,
 * so neither addresses nor usernames are kept in clear. A fixed window lets up to twice the limit through around a
 * window's edge; the account lock-out, not this throttle, is what bounds password guessing.
 */
@Injectable()
export class AttemptThrottle implements OnApplicationShutdown {
  private readonly redis: Redis | null;
  private readonly redisPrefix: string;
  private hits = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = config.redis
      ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, lazyConnect: true })
      : null;
    this.redisPrefix = config.redis ? `${config.redis.prefix}:attempts:` : '';
  }

  /** Records one attempt for each key; returns the seconds to wait when any key is over its limit, else 0. */
  async hit(limit: AttemptLimit, keys: string[]): Promise<number> {
    const windowMs = limit.windowSeconds * 1000;
    const now = this.clock.now().getTime();
    const windowStart = now - (now % windowMs);
    const waits = await Promise.all(
      keys.map(async (key) => {
        const digest = this.box.digest(key, `attempts:${limit.name}:${limit.windowSeconds}`);
        const count = await this.increment(digest, windowStart, windowStart + windowMs, now);
        return count > limit.limit ? Math.ceil((windowStart + windowMs - now) / 1000) : 0;
      }),
    );
    return Math.max(0, ...waits);
  }

  private async increment(
    digest: string,
    windowStart: number,
    windowEnd: number,
    now: number,
  ): Promise<number> {
    try {
      if (this.redis) {
        const key = `${this.redisPrefix}${digest}:${windowStart}`;
        const replies = await this.redis
          .multi()
          .incr(key)
          .pexpireat(key, windowEnd + 1000)
          .exec();
        const [error, count] = replies?.[0] ?? [new Error('no reply from Redis'), null];
        if (error) throw error;
        return Number(count);
      }
      return await this.uow.read(async (em) => {
        const connection = em.getConnection();
        const [row] = await connection.execute<{ count: number | string }[]>(
          `insert into "attempt_counters" ("key_digest", "window_start", "count", "expires_at_ms") values (?, ?, 1, ?)
           on conflict ("key_digest", "window_start") do update set "count" = "attempt_counters"."count" + 1
           returning "count"`,
          [digest, windowStart, windowEnd],
        );
        // Expired windows are swept now and then rather than on every attempt.
        if (++this.hits % 200 === 0) {
          await connection.execute('delete from "attempt_counters" where "expires_at_ms" < ?', [now]);
        }
        return Number(row.count);
      });
    } catch {
      // Fail closed: without the counters a guesser would be unthrottled.
      throw new DomainError(
        'unavailable',
        'throttle_unavailable',
        'attempt counters are unavailable; try again shortly',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end' && this.redis.status !== 'wait') await this.redis.quit();
  }
}
