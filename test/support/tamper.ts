import { MikroORM } from '@mikro-orm/core';
import type { TestApp } from './test-app.js';

/**
 * Runs `work` with the append-only trigger of the ledger's entries off, as an attacker with database access could,
 * and puts it back afterwards: for tests that damage stored history behind the application.
 */
export async function withoutAppendOnly(t: TestApp, work: () => Promise<unknown>): Promise<void> {
  const sql = (query: string) => t.app.get(MikroORM).em.getConnection().execute(query);
  if (t.database.kind === 'sqlite') {
    await sql('drop trigger "ledger_entries_no_update"');
    await work();
    await sql(
      `create trigger "ledger_entries_no_update" before update on "ledger_entries" begin select raise(abort, 'ledger_entries is append-only'); end`,
    );
  } else {
    await sql('alter table "ledger_entries" disable trigger "ledger_entries_no_update_delete"');
    await work();
    await sql('alter table "ledger_entries" enable trigger "ledger_entries_no_update_delete"');
  }
}
