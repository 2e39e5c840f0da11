import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';

/**
 * A refusal whose bookkeeping must persist: `UnitOfWork.run` commits the transaction, then throws `error`.
 * Made only by `Transaction.refuseAfterCommit`.
 */
export class CommittedRefusal {
  /** @internal */
  constructor(readonly error: Error) {}
}

/** What a use case may ask of its transaction besides the entity manager. */
export interface Transaction {
  /** Runs after the commit succeeded (enqueue jobs, anchor); never when the transaction rolled back. */
  afterCommit(task: () => Promise<void> | void): void;
  /**
   * Refuses the request but keeps what the transaction wrote (a failed-login count, a lock-out and its ledger
   * entry): return its value from the work, and `run` throws `error` once the commit succeeded. Throwing instead
   * would roll that bookkeeping back.
   */
  refuseAfterCommit(error: Error): CommittedRefusal;
}

/** One use case is one transaction: everything `work` writes commits together or not at all. */
@Injectable()
export class UnitOfWork {
  constructor(private readonly orm: MikroORM) {}

  async run<T>(work: (em: EntityManager, tx: Transaction) => Promise<T | CommittedRefusal>): Promise<T> {
    const tasks: (() => Promise<void> | void)[] = [];
    const tx: Transaction = {
      afterCommit: (task) => void tasks.push(task),
      refuseAfterCommit: (error) => new CommittedRefusal(error),
    };
    const result = await this.orm.em.fork().transactional((em) => work(em as EntityManager, tx));
    for (const task of tasks) await task();
    if (result instanceof CommittedRefusal) throw result.error;
    return result;
  }

  /** Reads outside a transaction, in a fresh identity map. */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return work(this.orm.em.fork() as EntityManager);
  }
}
