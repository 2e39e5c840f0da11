import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';

/** What a use case may ask of its transaction besides the entity manager. */
export interface Transaction {
  /** Runs after the commit succeeded (enqueue jobs, anchor); never when the transaction rolled back. */
  afterCommit(task: () => Promise<void> | void): void;
}

/** One use case is one transaction: everything `work` writes commits together or not at all. */
@Injectable()
export class UnitOfWork {
  constructor(private readonly orm: MikroORM) {}

  async run<T>(work: (em: EntityManager, tx: Transaction) => Promise<T>): Promise<T> {
    const tasks: (() => Promise<void> | void)[] = [];
    const result = await this.orm.em
      .fork()
      .transactional((em) => work(em as EntityManager, { afterCommit: (task) => void tasks.push(task) }));
    for (const task of tasks) await task();
    return result;
  }

  /** Reads outside a transaction, in a fresh identity map. */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return work(this.orm.em.fork() as EntityManager);
  }
}
