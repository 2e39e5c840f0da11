import type { Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';

/**
 * The next registration number of `year`, `HDDE-<year>-<6 digits>`. One counter row per year moves by a single
 * UPDATE … RETURNING, so parallel approvals queue on its row lock (PostgreSQL) or the single writer (SQLite) and
 * each gets its own number; taken inside the approval's transaction, a rolled-back approval gives its number back.
 * Precondition: `em` is inside a transaction.
 */
export async function nextRegistrationNumber(em: EntityManager, year: number): Promise<string> {
  const ctx = em.getTransactionContext<Transaction<object>>();
  if (ctx === undefined) throw new Error('a registration number is taken inside the approval transaction');
  const connection = em.getConnection();
  await connection.execute(
    'insert into "registration_counters" ("year", "last_number") values (?, ?) on conflict ("year") do nothing',
    [year, 0],
    'run',
    ctx,
  );
  const rows = await connection.execute<{ last_number: number | string }[]>(
    'update "registration_counters" set "last_number" = "last_number" + 1 where "year" = ? returning "last_number"',
    [year],
    'all',
    ctx,
  );
  const number = Number(rows[0]?.last_number);
  if (!Number.isSafeInteger(number) || number < 1) throw new Error('registration counter did not move');
  return `HDDE-${year}-${String(number).padStart(6, '0')}`;
}
