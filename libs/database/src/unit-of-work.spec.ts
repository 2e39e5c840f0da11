import { MikroORM } from '@mikro-orm/core';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/sql';
import { UnitOfWork } from './unit-of-work.js';

let orm: MikroORM;
let uow: UnitOfWork;

beforeAll(async () => {
  orm = await MikroORM.init({
    driver: SqliteDriver,
    dbName: ':memory:',
    entities: [],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: true,
  });
  await orm.em.getConnection().execute('create table "attempts" ("note" text not null)');
  uow = new UnitOfWork(orm);
});
afterAll(() => orm.close());

const insert = (em: EntityManager, note: string) =>
  em
    .getConnection()
    .execute('insert into "attempts" ("note") values (?)', [note], 'run', em.getTransactionContext());
const notes = async (): Promise<string[]> => {
  const rows: { note: string }[] = await orm.em.getConnection().execute('select "note" from "attempts"', []);
  return rows.map((r) => r.note);
};

describe('UnitOfWork', () => {
  it('refuseAfterCommit keeps what the transaction wrote, then throws the refusal, after the after-commit tasks', async () => {
    const refusal = new Error('too many failed sign-ins');
    const order: string[] = [];
    await expect(
      uow.run(async (em, tx) => {
        await insert(em, 'failure counted');
        tx.afterCommit(() => void order.push('after commit'));
        return tx.refuseAfterCommit(refusal);
      }),
    ).rejects.toBe(refusal);
    expect(await notes()).toContain('failure counted');
    expect(order).toEqual(['after commit']);
  });

  it('a plain throw rolls everything back and runs no after-commit task', async () => {
    const order: string[] = [];
    await expect(
      uow.run(async (em, tx) => {
        await insert(em, 'rolled back');
        tx.afterCommit(() => void order.push('after commit'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await notes()).not.toContain('rolled back');
    expect(order).toEqual([]);
  });

  it('returns the work result when nothing is refused', async () => {
    const result = await uow.run(async (em) => {
      await insert(em, 'kept');
      return 42;
    });
    expect(result).toBe(42);
    expect(await notes()).toContain('kept');
  });
});
