import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';

export type WithdrawnHook = (em: EntityManager, assetId: string, reason: string) => Promise<void>;

/**
 * Lets other libs react, inside the same transaction, when an asset stops being listable (cancelled, suspended, or
 * changed so that listings built on it are wrong). Listings register a hook that suspends their listings.
 */
@Injectable()
export class AssetLifecycle {
  private readonly hooks: WithdrawnHook[] = [];

  onWithdrawn(hook: WithdrawnHook): void {
    this.hooks.push(hook);
  }

  /** @internal Called by the assets lib inside the transaction that makes the asset unlistable. */
  async withdrawn(em: EntityManager, assetId: string, reason: string): Promise<void> {
    for (const hook of this.hooks) await hook(em, assetId, reason);
  }
}
