import { MikroORM } from '@mikro-orm/core';
import type { TestApp } from './test-app.js';

/** Reads the test's database directly: to prove a refusal changed nothing, and what the ledger recorded. */
export const sqlOf =
  (t: TestApp) =>
  async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    t.app.get(MikroORM).em.getConnection().execute(text, params);

export async function countRows(t: TestApp, table: string): Promise<number> {
  const rows = await sqlOf(t)<{ n: number | string }>(`select count(*) as n from "${table}"`);
  return Number(rows[0].n);
}

export interface RecordedEntry {
  action: string;
  actor: { accountId: string | null; organisationId: string | null };
  payload: any;
}

/** The ledger entries naming `subjectId`, oldest first, as written (the leaf input is the entry's JSON). */
export async function ledgerOf(t: TestApp, subjectId: string): Promise<RecordedEntry[]> {
  const rows = await sqlOf(t)<{ leaf_input: string }>(
    `select e."leaf_input" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
     where s."subject_id" = ? order by e."leaf_index"`,
    [subjectId],
  );
  return rows.map((r) => JSON.parse(r.leaf_input) as RecordedEntry);
}

export const ledgerActions = async (t: TestApp, subjectId: string): Promise<string[]> =>
  (await ledgerOf(t, subjectId)).map((e) => e.action);
