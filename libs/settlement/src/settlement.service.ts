import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DeadlockException } from '@mikro-orm/core';
import { Clock, Conflict, DomainError, NotFound, ValidationFailed } from '@app/core';
import type { EntityManager } from '@mikro-orm/sql';
import { UnitOfWork, type Transaction } from '@app/database';
import { PartyReader, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder, type LedgerActor, type LedgerEvent } from '@app/ledger';
import {
  accountOf,
  alreadyReversed,
  deltasOf,
  fingerprintOf,
  fingerprintOfRequest,
  holdAfter,
  holdView,
  keyReused,
  ORGANISATION_PURPOSES,
  organisationAccount,
  planOperation,
  resultOf,
  resultFromStored,
  transferIdOf,
  transferIdsOf,
  SettlementError,
  trialBalance,
  zeroBalance,
  type Balance,
  type Hold,
  type HoldView,
  type Operation,
  type OperationResult,
  type Plan,
  type RevenueSplit,
  type Transfer,
  type TrialBalance,
} from './core/index.js';
import { SettlementStore, type StoredAccount } from './settlement-store.js';

/** One operation of a batch under its idempotency key. */
export interface BatchItem {
  key: string;
  op: Operation;
  /**
   * The parameters of the caller's request, when they are not the operation's: a retry is replayed when its
   * request is the same (JSON, compared by the SHA-256 of its RFC 8785 form). Give it when `within` decides the
   * operation from state it reads under lock (which unit a metered result posts), so a retry that would decide
   * differently still gets the first result.
   */
  request?: unknown;
}

/** How a batch runs inside a caller's use case. */
export interface BatchOptions {
  /**
   * The caller's own step, run first in the batch's transaction, before any settlement write: a conditional update
   * of its record (a contract `signed → active`) locks that row before the accounts, so of concurrent calls one
   * passes and the others wait there, then find the state moved. Whatever it writes (its ledger entries included)
   * commits with the money or not at all. It may return the operations to run instead of the items' (one per item,
   * in order) when they depend on what it read under its lock. A DomainError it throws rolls everything back; when
   * the batch's keys were stored by an earlier call, that call's first result is answered instead (a twin that lost
   * the update to its twin replays), unless `replayAfterRefusal` is false.
   */
  within?: (em: EntityManager, tx: Transaction) => Promise<readonly Operation[] | void>;
  /** Default true. False: a refusal by `within` is always thrown (a second confirmation is a conflict). */
  replayAfterRefusal?: boolean;
  /** @internal retries after a deadlock */
  attempt?: number;
}

/** One operation's outcome: its result, and whether it is the stored first result of an earlier call. */
export interface Execution {
  result: OperationResult;
  replayed: boolean;
}

export interface AccountFigures {
  accountId: string;
  organisationId: string | null;
  purpose: string;
  balance: Balance;
}

export interface TrialBalanceReport extends TrialBalance {
  accounts: AccountFigures[];
  /** The stored totals equal those recomputed from the transfers alone. */
  reconciled: boolean;
}

const ACTIONS: Record<Operation['name'], string> = {
  deposit: 'settlement.deposited',
  withdrawal: 'settlement.withdrawn',
  transfer: 'settlement.transferred',
  hold: 'settlement.held',
  post: 'settlement.posted',
  void: 'settlement.voided',
  release: 'settlement.released',
  reversal: 'settlement.reversed',
};

/** Who may see every account: the exchange's operator and the regulators. */

/** A concurrent twin took one of the keys first: the transaction is rolled back and its stored result replayed. */
class KeyTaken extends Error {}

const toDomainError = (e: SettlementError): DomainError => new DomainError(e.kind, e.code, e.message);

/**
 * Settlement as use cases: deposits and withdrawals by the operator, holds, posts, voids and releases for contracts,
 * corrections by reversal. Every call carries an idempotency key that the caller gives (scoped by the caller: the
 * HTTP routes prefix the caller's organisation): a retry with the key returns the first result, the key with other
 * parameters is refused (422 `idempotency_key_reused`). Each call is one transaction: the hold change, the guarded
 * balance updates, the transfers, the key and one ledger entry per operation commit together or not at all. A
 * refused call stores nothing, its key included, so a retry after a deposit may succeed.
 */
@Injectable()
export class SettlementService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly parties: PartyReader,
  ) {}

  /** Accounts known to exist (they are never deleted): their first-use insert is skipped. */
  private readonly knownAccounts = new Set<string>();

  // ---- the calls contracts and the operator make ------------------------------------------------------------

  /** The operator records money received from outside for an admitted organisation (external → available). */
  async deposit(key: string, organisationId: string, amount: bigint, actor: LedgerActor): Promise<Execution> {
    if (!(await this.used(key))) await this.requireAdmitted(organisationId);
    return this.execute(key, { name: 'deposit', organisationId, amount }, actor);
  }

  /** The operator records a payout (available or receivable → external); the guard refuses an overdraft. */
  async withdraw(
    key: string,
    organisationId: string,
    from: 'available' | 'receivable',
    amount: bigint,
    actor: LedgerActor,
  ): Promise<Execution> {
    if (!(await this.used(key))) await this.requireKnown(organisationId);
    return this.execute(key, { name: 'withdrawal', organisationId, from, amount }, actor);
  }

  /**
   * Moves money between two accounts of the platform at once (a direct payment between parties, a fee charged to
   * an organisation): TigerBeetle's single-phase transfer, guarded like every other debit.
   */
  transfer(key: string, fromAccountId: string, toAccountId: string, amount: bigint, actor: LedgerActor) {
    return this.execute(key, { name: 'transfer', fromAccountId, toAccountId, amount }, actor);
  }

  /** Reserves `amount` of the payer's available funds for `holdId` (a contract's escrow): a pending transfer. */
  hold(key: string, holdId: string, payerOrganisationId: string, amount: bigint, actor: LedgerActor) {
    return this.execute(key, { name: 'hold', holdId, payerOrganisationId, amount }, actor);
  }

  /** Posts the hold in full, or `amount` of it (the rest returns to the payer). A hold resolves at most once. */
  post(key: string, holdId: string, amount: bigint | undefined, actor: LedgerActor) {
    return this.execute(key, { name: 'post', holdId, ...(amount === undefined ? {} : { amount }) }, actor);
  }

  /** Returns the whole hold to the payer (a refund before delivery). */
  void(key: string, holdId: string, actor: LedgerActor) {
    return this.execute(key, { name: 'void', holdId }, actor);
  }

  /** Pays a posted hold out of escrow as one linked group: platform fee, public-resource fee, rights holders. */
  release(key: string, holdId: string, split: RevenueSplit, actor: LedgerActor) {
    return this.execute(key, { name: 'release', holdId, split }, actor);
  }

  /** Corrects a posted transfer (deposit, withdrawal, fee or share) by a transfer the other way. */
  reverse(key: string, transferId: string, actor: LedgerActor) {
    return this.execute(key, { name: 'reversal', transferId }, actor);
  }

  async findHold(holdId: string): Promise<HoldView> {
    const hold = await this.uow.read(async (em) =>
      (await SettlementStore.within(em).holds([holdId])).get(holdId),
    );
    if (!hold) throw new NotFound('hold');
    return holdView(hold);
  }

  // ---- the engine ---------------------------------------------------------------------------------------------

  execute(key: string, op: Operation, actor: LedgerActor): Promise<Execution> {
    return this.executeBatch([{ key, op }], actor).then(([one]) => one);
  }

  /**
   * Runs several operations in one transaction, each under its own key: all commit or none. The batch's guards are
   * checked on its net effect per account, as for one linked group. Keys already used replay their first result.
   *
   * Keys are not read first: the key row is inserted right after planning (`on conflict do nothing`), so a
   * concurrent twin waits there for the first to commit. Whenever a call fails — its key taken, a hold resolved
   * already, funds short, or (with `within`) the caller's own step refused — the stored keys are read after the
   * rollback: a key stored by an earlier call is answered with its first result (or refused when the parameters
   * differ). A PostgreSQL deadlock (two first uses of accounts) is retried.
   *
   * With `options.within` the caller's own step (a contract's conditional update and its ledger entry) runs first
   * in the same transaction, so it commits with the money or not at all; see `BatchOptions`.
   */
  async executeBatch(
    items: readonly BatchItem[],
    actor: LedgerActor,
    options: BatchOptions = {},
  ): Promise<Execution[]> {
    const attempt = options.attempt ?? 1;
    if (new Set(items.map((i) => i.key)).size !== items.length)
      throw new ValidationFailed('each operation of a batch needs its own idempotency key');
    const fingerprinted = items.map((i) => ({ ...i, fingerprint: fingerprintOfItem(i) }));
    try {
      return await this.uow.run(async (em, tx) => {
        let planned = fingerprinted;
        if (options.within) {
          const decided = await options.within(em, tx);
          if (decided) {
            if (decided.length !== items.length)
              throw new Error('within() must decide one operation per item of the batch');
            planned = fingerprinted.map((item, i) => {
              const decidedItem = { ...item, op: decided[i] };
              return { ...decidedItem, fingerprint: fingerprintOfItem(decidedItem) };
            });
          }
        }
        const store = SettlementStore.within(em);
        const results = await this.apply(store, tx, planned);
        await this.ledger.record(
          em,
          results.map((r) => this.event(r, actor)),
        );
        return results.map((result) => ({ result, replayed: false }));
      });
    } catch (error) {
      if (error instanceof DeadlockException && attempt < 3)
        return this.executeBatch(items, actor, { ...options, attempt: attempt + 1 });
      const refusedWithin =
        error instanceof DomainError && options.within !== undefined && options.replayAfterRefusal !== false;
      if (!(error instanceof KeyTaken || error instanceof SettlementError || refusedWithin)) throw error;
      const stored = await this.uow.read((em) =>
        this.storedKeys(
          SettlementStore.within(em),
          items.map((i) => i.key),
        ),
      );
      if (stored.size === 0) {
        if (error instanceof SettlementError) throw toDomainError(error);
        if (error instanceof DomainError) throw error;
        throw new Conflict(
          'a concurrent request with this idempotency key failed; retry',
          'idempotency_in_flight',
        );
      }
      // Every stored key is checked before anything runs again: a key used for other parameters refuses the batch.
      const replayed = new Map(
        fingerprinted
          .filter((item) => stored.has(item.key))
          .map((item) => [item.key, replayOf(stored.get(item.key)!, item)] as const),
      );
      const fresh = items.filter((i) => !stored.has(i.key));
      // With a caller's step, a batch is its step's: part of it stored means another request used these keys.
      if (fresh.length > 0 && options.within) throw toDomainError(keyReused(shownKey(fresh[0].key)));
      const done =
        fresh.length > 0 ? await this.executeBatch(fresh, actor, { ...options, attempt: attempt + 1 }) : [];
      return fingerprinted.map((item) => replayed.get(item.key) ?? done[fresh.indexOf(item)]);
    }
  }

  /**
   * Plans every operation in order (each seeing the holds the earlier ones left), claims the keys, then applies
   * the hold changes, the guarded balance updates and the transfers.
   */
  private async apply(
    store: SettlementStore,
    tx: Transaction,
    items: readonly { key: string; op: Operation; fingerprint: string }[],
  ): Promise<OperationResult[]> {
    const holdIds = items.flatMap(({ op }) => ('holdId' in op ? [op.holdId] : []));
    const transferIds = items.flatMap(({ op }) => (op.name === 'reversal' ? [op.transferId] : []));
    const holds = holdIds.length > 0 ? await store.holds(holdIds) : new Map<string, Hold>();
    const originals =
      transferIds.length > 0 ? await store.transfers(transferIds) : new Map<string, Transfer>();
    const reversed = transferIds.length > 0 ? await store.reversed(transferIds) : new Set<string>();
    const results: OperationResult[] = [];
    const plans: Plan[] = [];
    for (const { op } of items) {
      const operationId = randomUUID();
      let next = 0;
      const plan = planOperation(op, {
        operationId,
        newId: () => transferIdOf(operationId, next++),
        hold: (id) => holds.get(id),
        transfer: (id) => originals.get(id),
      });
      for (const t of plan.transfers) {
        if (t.reversesId === null) continue;
        if (reversed.has(t.reversesId)) throw alreadyReversed(t.reversesId);
        reversed.add(t.reversesId);
      }
      const change = plan.holdChange;
      const hold = holdAfter(plan, change?.kind === 'move' ? holds.get(change.holdId) : undefined);
      if (hold) holds.set(hold.id, hold);
      plans.push(plan);
      results.push(resultOf(plan, hold));
    }
    const transfers = plans.flatMap((p) => p.transfers);
    const deltas = deltasOf(transfers);
    const { claimed } = await store.writeGroup(
      {
        keys: items.map((item, i) => ({ key: item.key, fingerprint: item.fingerprint, result: results[i] })),
        holdChanges: plans.flatMap((p) => (p.holdChange ? [p.holdChange] : [])),
        deltas,
        transfers,
      },
      this.clock.now().toISOString(),
      this.knownAccounts,
    );
    if (claimed < items.length) throw new KeyTaken();
    tx.afterCommit(() => {
      for (const id of deltas.keys()) this.knownAccounts.add(id);
    });
    return results;
  }

  /** The stored keys among `keys`, each with its first result rebuilt from its transfers. */
  private async storedKeys(
    store: SettlementStore,
    keys: readonly string[],
  ): Promise<Map<string, { key: string; fingerprint: string; result: OperationResult }>> {
    const stored = await store.keys(keys);
    const transfers = await store.transfers([...stored.values()].flatMap((k) => transferIdsOf(k.result)));
    return new Map(
      [...stored].map(([key, k]) => [key, { ...k, result: resultFromStored(k.result, transfers) }]),
    );
  }

  private event(result: OperationResult, actor: LedgerActor): LedgerEvent {
    const organisations = new Set<string>();
    for (const t of result.transfers)
      for (const id of [t.debitAccountId, t.creditAccountId]) {
        const owner = accountOf(id)?.organisationId;
        if (owner) organisations.add(owner);
      }
    return {
      actor,
      action: ACTIONS[result.operation],
      subjectIds: [result.operationId, ...organisations, ...(result.hold ? [result.hold.id] : [])],
      payload: JSON.parse(JSON.stringify(result)) as LedgerEvent['payload'],
    };
  }

  // ---- reads --------------------------------------------------------------------------------------------------

  /** A party sees its own three accounts (zero until first used); operators and regulators see every account. */
  async balances(principal: Principal): Promise<AccountFigures[]> {
    const all = isOverseer(principal);
    const stored = await this.uow.read((em) =>
      SettlementStore.within(em).accounts(all ? undefined : principal.organisationId),
    );
    const figures = stored.map(figuresOf);
    if (all) return figures;
    return ORGANISATION_PURPOSES.map((purpose) => {
      const ref = organisationAccount(principal.organisationId, purpose);
      return (
        figures.find((f) => f.accountId === ref.id) ?? {
          accountId: ref.id,
          organisationId: ref.organisationId,
          purpose,
          balance: zeroBalance(),
        }
      );
    });
  }

  /**
   * Total debits and credits over every account, with the per-account figures, read in one snapshot; and whether
   * the stored totals equal what the transfers alone add up to.
   */
  async trialBalance(): Promise<TrialBalanceReport> {
    const { accounts, recomputed } = await this.uow.run(async (em) => {
      const store = SettlementStore.within(em);
      if (store.dialect === 'postgresql')
        await em
          .getConnection()
          .execute('set transaction isolation level repeatable read', [], 'run', em.getTransactionContext());
      return { accounts: await store.accounts(), recomputed: await store.totalsFromTransfers() };
    });
    const reconciled =
      accounts.every((a) => sameBalance(a.balance, recomputed.get(a.id) ?? zeroBalance())) &&
      [...recomputed.keys()].every((id) => accounts.some((a) => a.id === id));
    return { ...trialBalance(accounts.map((a) => a.balance)), accounts: accounts.map(figuresOf), reconciled };
  }

  // ---- parties -------------------------------------------------------------------------------------------------

  /** A retry replays its first result even if the organisation has been suspended since. */
  private async used(key: string): Promise<boolean> {
    return (await this.uow.read((em) => SettlementStore.within(em).keys([key]))).size > 0;
  }

  private async requireKnown(organisationId: string) {
    const organisation = await this.parties.organisation(organisationId);
    if (!organisation) throw new NotFound('organisation');
    return organisation;
  }

  private async requireAdmitted(organisationId: string): Promise<void> {
    const organisation = await this.requireKnown(organisationId);
    if (organisation.status !== 'admitted')
      throw new Conflict(
        `organisation ${organisationId} is ${organisation.status}; only admitted organisations take deposits`,
        'organisation_not_admitted',
      );
  }
}

function replayOf(
  stored: { key: string; fingerprint: string; result: OperationResult },
  item: { fingerprint: string },
): Execution {
  if (stored.fingerprint !== item.fingerprint) throw toDomainError(keyReused(shownKey(stored.key)));
  return { result: stored.result, replayed: true };
}

/** A key as its caller gave it: without the scope the service put before the first `/`. */
const shownKey = (key: string): string => key.slice(key.indexOf('/') + 1);

/** The fingerprint a retry must repeat: of the caller's request when it names one, else of the operation. */
const fingerprintOfItem = (item: BatchItem): string =>
  item.request === undefined ? fingerprintOf(item.op) : fingerprintOfRequest(item.request);

const figuresOf = (a: StoredAccount): AccountFigures => ({
  accountId: a.id,
  organisationId: a.organisationId,
  purpose: a.purpose,
  balance: a.balance,
});

const sameBalance = (a: Balance, b: Balance): boolean =>
  a.debitsPosted === b.debitsPosted &&
  a.creditsPosted === b.creditsPosted &&
  a.debitsPending === b.debitsPending &&
  a.creditsPending === b.creditsPending;
