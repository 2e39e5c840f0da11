import type { Transaction } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  accountOf,
  flagsOf,
  holdExists,
  holdResolved,
  insufficientFunds,
  type Balance,
  type BalanceDelta,
  type Hold,
  type HoldChange,
  type HoldState,
  type OperationResult,
  type StoredResult,
  storedResultOf,
  type Transfer,
  type TransferCode,
  type TransferKind,
} from './core/index.js';
import { sqlKindOf } from '@app/database';

type Row = Record<string, unknown>;

/** Rows per multi-row statement: well under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const ROWS_PER_STATEMENT = 500;

/** An account as stored, with its totals. */
export interface StoredAccount {
  id: string;
  organisationId: string | null;
  purpose: string;
  balance: Balance;
}

export interface StoredKey {
  key: string;
  fingerprint: string;
  result: StoredResult;
}

const fen = (value: unknown): bigint => BigInt(value as string);
const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT));
  return out;
};

/**
 * Every SQL statement of settlement, with bound parameters, inside the caller's transaction. Balances change only
 * through `applyDeltas`, whose UPDATE carries the guard in its WHERE clause: the database decides whether the money
 * is there, in the same statement that takes it (never a read, then a write).
 */
export class SettlementStore {
  private constructor(
    private readonly run: (sql: string, params: readonly unknown[]) => Promise<Row[]>,
    readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** Statements in `em`'s transaction when it has one (use cases), else each on its own (reads). */
  static within(em: EntityManager): SettlementStore {
    const ctx = em.getTransactionContext<Transaction<object>>();
    const connection = em.getConnection();
    const dialect = sqlKindOf(em);
    return new SettlementStore(
      (sql, params) => connection.execute<Row[]>(sql, [...params], 'all', ctx),
      dialect,
    );
  }

  // ---- idempotency -------------------------------------------------------------------------------------------

  async keys(keys: readonly string[]): Promise<Map<string, StoredKey>> {
    const out = new Map<string, StoredKey>();
    for (const part of chunks([...new Set(keys)])) {
      const rows = await this.run(
        `select "key", "fingerprint", "result" from "settlement_idempotency" where "key" in (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const r of rows)
        out.set(r.key as string, {
          key: r.key as string,
          fingerprint: r.fingerprint as string,
          result: JSON.parse(r.result as string) as StoredResult,
        });
    }
    return out;
  }

  /** Inserts the keys not taken yet; returns those it inserted (a concurrent twin's key waits, then is skipped). */
  private async insertKeys(
    rows: readonly { key: string; fingerprint: string; result: OperationResult }[],
    at: string,
  ): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const part of chunks(rows)) {
      const returned = await this.run(
        `insert into "settlement_idempotency" ("key", "fingerprint", "result", "created_at")
         values ${part.map(() => KEY_ROW).join(', ')} on conflict ("key") do nothing returning "key"`,
        part.flatMap(keyRow(at)),
      );
      for (const r of returned) inserted.add(r.key as string);
    }
    return inserted;
  }

  // ---- holds -------------------------------------------------------------------------------------------------

  async holds(ids: readonly string[]): Promise<Map<string, Hold>> {
    const out = new Map<string, Hold>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.run(
        `select "id", "payer_organisation_id", cast("amount" as text) as "amount",
           cast("posted_amount" as text) as "posted_amount", "state", "pending_transfer_id"
         from "settlement_holds" where "id" in (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const r of rows)
        out.set(r.id as string, {
          id: r.id as string,
          payerOrganisationId: r.payer_organisation_id as string,
          amount: fen(r.amount),
          postedAmount: r.posted_amount === null ? null : fen(r.posted_amount),
          state: r.state as HoldState,
          pendingTransferId: r.pending_transfer_id as string,
        });
    }
    return out;
  }

  /**
   * Creates or moves holds. A move is a conditional update from the state the plan started from, so of two
   * concurrent resolutions of one hold exactly one changes a row; the other is refused as resolved already.
   */
  private async changeHolds(changes: readonly HoldChange[], at: string): Promise<void> {
    const creates = changes.flatMap((c) => (c.kind === 'create' ? [c.hold] : []));
    for (const part of chunks(creates)) {
      const returned = await this.run(
        `insert into "settlement_holds" ("id", "payer_organisation_id", "amount", "posted_amount", "state",
           "pending_transfer_id", "created_at", "updated_at")
         values ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} on conflict ("id") do nothing returning "id"`,
        part.flatMap((h) => [
          h.id,
          h.payerOrganisationId,
          h.amount,
          null,
          h.state,
          h.pendingTransferId,
          at,
          at,
        ]),
      );
      if (returned.length !== part.length) {
        const made = new Set(returned.map((r) => r.id as string));
        throw holdExists(part.find((h) => !made.has(h.id))!.id);
      }
    }
    for (const change of changes) {
      if (change.kind !== 'move') continue;
      const moved = await this.run(
        `update "settlement_holds" set "state" = ?, "posted_amount" = ?, "updated_at" = ?
         where "id" = ? and "state" = ? returning "id"`,
        [change.to, change.postedAmount, at, change.holdId, change.from],
      );
      if (moved.length === 0) {
        const current = (await this.holds([change.holdId])).get(change.holdId);
        throw holdResolved({ id: change.holdId, state: current?.state ?? change.to });
      }
    }
  }

  // ---- a group's writes ------------------------------------------------------------------------------------

  /**
   * Writes one group (a call, or a batch of calls): claims the keys, moves the holds, adds each account's delta
   * to its totals under the guard, and inserts the transfers. Returns how many keys it claimed: fewer than given
   * means a twin with the same key committed first, and the caller must roll back. Throws `insufficient_funds`
   * (naming the account) when a guarded account cannot cover its debits, `hold_resolved` when a hold moved first.
   *
   * The guard is the WHERE clause of the UPDATE that takes the money: the database decides whether it is there in
   * the statement that takes it. On PostgreSQL the accounts are locked in id order first (a materialised
   * `for update` CTE), so groups touching the same accounts wait for each other instead of deadlocking, and the
   * key claim, the balance update and the transfer insert are one statement (one round trip); the key claim comes
   * first, so a twin waits there before it locks anything. `known` lists accounts known to exist; others are
   * created first. Precondition: inside the use case's transaction.
   */
  async writeGroup(
    group: {
      keys: readonly { key: string; fingerprint: string; result: OperationResult }[];
      holdChanges: readonly HoldChange[];
      deltas: ReadonlyMap<string, BalanceDelta>;
      transfers: readonly Transfer[];
    },
    at: string,
    known: ReadonlySet<string>,
  ): Promise<{ claimed: number }> {
    const ids = [...group.deltas.keys()].sort();
    if (group.holdChanges.length > 0) await this.changeHolds(group.holdChanges, at);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) await this.createAccounts(unknown, at);
    const small = group.keys.length <= 1000 && ids.length <= 1000 && group.transfers.length <= 1000;
    if (this.dialect === 'postgresql' && small && ids.length > 0 && group.keys.length > 0)
      return this.writeGroupInOneStatement(group, ids, at);
    const claimed = (await this.insertKeys(group.keys, at)).size;
    if (claimed < group.keys.length) return { claimed };
    const updated = await this.update(ids, group.deltas);
    const refused = ids.find((id) => !updated.has(id));
    if (refused !== undefined) throw insufficientFunds(refused);
    await this.insertTransfers(group.transfers, at);
    return { claimed };
  }

  private async writeGroupInOneStatement(
    group: Parameters<SettlementStore['writeGroup']>[0],
    ids: readonly string[],
    at: string,
  ): Promise<{ claimed: number }> {
    const marks = (n: number, row: string) => Array.from({ length: n }, () => row).join(', ');
    const [row] = await this.run(
      `with "claimed" as (insert into "settlement_idempotency" ("key", "fingerprint", "result", "created_at")
           values ${marks(group.keys.length, KEY_ROW)} on conflict ("key") do nothing returning "key"),
         "locked" as materialized (select "id" from "settlement_accounts" where "id" in (${marks(ids.length, '?')})
           and (select count(*) from "claimed") = ? order by "id" for update),
         "moved" as (update "settlement_accounts" as a set ${SET_TOTALS}
           from (values ${marks(ids.length, DELTA_ROW)}) as v
           where a."id" = v.column1 and a."id" in (select "id" from "locked") and ${GUARD} returning a."id"),
         "written" as (insert into "settlement_transfers" (${TRANSFER_INSERT_COLUMNS})
           values ${marks(group.transfers.length, TRANSFER_ROW)} returning 1)
       select (select count(*) from "claimed") as "claimed", (select count(*) from "written") as "written",
         (select string_agg("id", ' ') from "moved") as "moved"`,
      [
        ...group.keys.flatMap(keyRow(at)),
        ...ids,
        group.keys.length,
        ...ids.flatMap(deltaRow(group.deltas)),
        ...group.transfers.flatMap(transferRow(at)),
      ],
    );
    const claimed = Number(row.claimed);
    if (claimed < group.keys.length) return { claimed };
    const moved = new Set(((row.moved as string | null) ?? '').split(' '));
    const refused = ids.find((id) => !moved.has(id));
    if (refused !== undefined) throw insufficientFunds(refused);
    return { claimed };
  }

  private async update(
    ids: readonly string[],
    deltas: ReadonlyMap<string, BalanceDelta>,
  ): Promise<Set<string>> {
    const updated = new Set<string>();
    for (const part of chunks(ids)) {
      const marks = part.map(() => '?').join(', ');
      const lock =
        this.dialect === 'postgresql'
          ? `with "locked" as materialized (select "id" from "settlement_accounts" where "id" in (${marks})
               order by "id" for update) `
          : '';
      const rows = await this.run(
        `${lock}update "settlement_accounts" as a set ${SET_TOTALS}
         from (values ${part.map(() => DELTA_ROW).join(', ')}) as v
         where a."id" = v.column1 ${this.dialect === 'postgresql' ? 'and a."id" in (select "id" from "locked")' : ''}
           and ${GUARD} returning "id"`,
        [...(this.dialect === 'postgresql' ? part : []), ...part.flatMap(deltaRow(deltas))],
      );
      for (const r of rows) updated.add(r.id as string);
    }
    return updated;
  }

  private async createAccounts(ids: readonly string[], at: string): Promise<void> {
    for (const part of chunks(ids)) {
      await this.run(
        `insert into "settlement_accounts" ("id", "organisation_id", "purpose", "guard_debits", "created_at")
         values ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')} on conflict ("id") do nothing`,
        part.flatMap((id) => {
          const account = accountOf(id);
          if (!account) throw new Error(`settlement account id ${id} is not one the core makes`);
          return [
            id,
            account.organisationId,
            account.purpose,
            flagsOf(account.purpose).debitsMustNotExceedCredits ? 1 : 0,
            at,
          ];
        }),
      );
    }
  }

  // ---- transfers ---------------------------------------------------------------------------------------------

  /** Precondition: the deltas of these transfers were applied in this transaction. */
  private async insertTransfers(transfers: readonly Transfer[], at: string): Promise<void> {
    for (const part of chunks(transfers)) {
      await this.run(
        `insert into "settlement_transfers" (${TRANSFER_INSERT_COLUMNS})
         values ${part.map(() => TRANSFER_ROW).join(', ')}`,
        part.flatMap(transferRow(at)),
      );
    }
  }

  async transfers(ids: readonly string[]): Promise<Map<string, Transfer>> {
    const out = new Map<string, Transfer>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.run(
        `${TRANSFER_COLUMNS} where "id" in (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const r of rows) out.set(r.id as string, toTransfer(r));
    }
    return out;
  }

  /** Ids among `ids` that a reversal already undoes. */
  async reversed(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.run(
        `select "reverses_id" from "settlement_transfers" where "reverses_id" in (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const r of rows) out.add(r.reverses_id as string);
    }
    return out;
  }

  /**
   * Every account's four totals recomputed from the transfers alone, summed by the database (one scan, nothing
   * held in memory): what the stored totals must equal.
   */
  async totalsFromTransfers(): Promise<Map<string, Balance>> {
    const rows = await this.run(
      `select "account", cast(sum("dp") as text) as "dp", cast(sum("cp") as text) as "cp",
         cast(sum("dpe") as text) as "dpe", cast(sum("cpe") as text) as "cpe"
       from (
         select "debit_account_id" as "account",
           case when "kind" in ('posted', 'post_pending') then "amount" else 0 end as "dp", 0 as "cp",
           case when "kind" = 'pending' then "amount"
             when "kind" in ('post_pending', 'void_pending') then -"pending_amount" else 0 end as "dpe", 0 as "cpe"
         from "settlement_transfers"
         union all
         select "credit_account_id", 0,
           case when "kind" in ('posted', 'post_pending') then "amount" else 0 end, 0,
           case when "kind" = 'pending' then "amount"
             when "kind" in ('post_pending', 'void_pending') then -"pending_amount" else 0 end
         from "settlement_transfers") as "movements"
       group by "account"`,
      [],
    );
    return new Map(
      rows.map((r) => [
        r.account as string,
        {
          debitsPosted: fen(r.dp),
          creditsPosted: fen(r.cp),
          debitsPending: fen(r.dpe),
          creditsPending: fen(r.cpe),
        },
      ]),
    );
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  /** Accounts of one organisation, or every account when `organisationId` is undefined. */
  async accounts(organisationId?: string): Promise<StoredAccount[]> {
    const rows = await this.run(
      `select "id", "organisation_id", "purpose", cast("debits_posted" as text) as "dp",
         cast("credits_posted" as text) as "cp", cast("debits_pending" as text) as "dpe",
         cast("credits_pending" as text) as "cpe"
       from "settlement_accounts" ${organisationId === undefined ? '' : 'where "organisation_id" = ?'} order by "id"`,
      organisationId === undefined ? [] : [organisationId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      organisationId: (r.organisation_id as string | null) ?? null,
      purpose: r.purpose as string,
      balance: {
        debitsPosted: fen(r.dp),
        creditsPosted: fen(r.cp),
        debitsPending: fen(r.dpe),
        creditsPending: fen(r.cpe),
      },
    }));
  }
}

const SET_TOTALS = `"debits_posted" = a."debits_posted" + v.column2, "credits_posted" = a."credits_posted" + v.column3,
  "debits_pending" = a."debits_pending" + v.column4, "credits_pending" = a."credits_pending" + v.column5`;
/** The guard, for an account `a` and its delta `v`: debits posted and pending stay within credits posted. */
const GUARD = `(a."guard_debits" = 0
  or a."credits_posted" + v.column3 - a."debits_posted" - v.column2 - a."debits_pending" - v.column4 >= 0)`;
const DELTA_ROW = '(?, cast(? as bigint), cast(? as bigint), cast(? as bigint), cast(? as bigint))';
const deltaRow = (deltas: ReadonlyMap<string, BalanceDelta>) => (id: string) => {
  const d = deltas.get(id)!;
  return [id, d.debitsPosted, d.creditsPosted, d.debitsPending, d.creditsPending];
};
const KEY_ROW = '(?, ?, ?, ?)';
const keyRow = (at: string) => (r: { key: string; fingerprint: string; result: OperationResult }) => [
  r.key,
  r.fingerprint,
  JSON.stringify(storedResultOf(r.result)),
  at,
];
const TRANSFER_INSERT_COLUMNS = `"id", "kind", "code", "debit_account_id", "credit_account_id", "amount",
  "pending_id", "pending_amount", "reverses_id", "created_at"`;
const TRANSFER_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const transferRow = (at: string) => (t: Transfer) => [
  t.id,
  t.kind,
  t.code,
  t.debitAccountId,
  t.creditAccountId,
  t.amount,
  t.pendingId,
  t.pendingAmount,
  t.reversesId,
  at,
];

const TRANSFER_COLUMNS = `select "id", "kind", "code", "debit_account_id", "credit_account_id",
  cast("amount" as text) as "amount", "pending_id", cast("pending_amount" as text) as "pending_amount",
  "reverses_id" from "settlement_transfers"`;

const toTransfer = (r: Row): Transfer => ({
  id: r.id as string,
  operationId: (r.id as string).slice(0, (r.id as string).lastIndexOf('.')),
  kind: r.kind as TransferKind,
  code: r.code as TransferCode,
  debitAccountId: r.debit_account_id as string,
  creditAccountId: r.credit_account_id as string,
  amount: fen(r.amount),
  pendingId: (r.pending_id as string | null) ?? null,
  pendingAmount: r.pending_amount === null || r.pending_amount === undefined ? null : fen(r.pending_amount),
  reversesId: (r.reverses_id as string | null) ?? null,
});
