import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  accountOf,
  EXTERNAL_ACCOUNT,
  PLATFORM_FEE_ACCOUNT,
  PUBLIC_FINANCE_ACCOUNT,
  organisationAccount,
} from './account.js';
import { requireAmount } from './amount.js';
import { requireSplit, splitRevenue, type RevenueSplit } from './revenue-split.js';
import { SettlementError } from './settlement-error.js';
import { transferView, type Transfer, type TransferCode, type TransferView } from './transfer.js';

/** Every money-moving call. Each is one linked, all-or-nothing group of transfers under one idempotency key. */
export type Operation =
  | { name: 'deposit'; organisationId: string; amount: bigint }
  | { name: 'withdrawal'; organisationId: string; from: 'available' | 'receivable'; amount: bigint }
  | { name: 'transfer'; fromAccountId: string; toAccountId: string; amount: bigint }
  | { name: 'hold'; holdId: string; payerOrganisationId: string; amount: bigint }
  | { name: 'post'; holdId: string; amount?: bigint }
  | { name: 'void'; holdId: string }
  | { name: 'release'; holdId: string; split: RevenueSplit }
  | { name: 'reversal'; transferId: string };

export type OperationName = Operation['name'];

/**
 * A hold is TigerBeetle's pending transfer with a life of its own: `pending` until it is posted (in full or in part)
 * or voided, which happens at most once; a posted hold's money waits in the payer's escrow until it is `released`
 * as one linked group of fees and shares.
 */
export type HoldState = 'pending' | 'posted' | 'voided' | 'released';

export interface Hold {
  /** The caller's id (a contract's, say). */
  id: string;
  payerOrganisationId: string;
  amount: bigint;
  /** Set when posted. */
  postedAmount: bigint | null;
  state: HoldState;
  /** The pending transfer that reserved the money. */
  pendingTransferId: string;
}

export type HoldChange =
  | { kind: 'create'; hold: Hold }
  | { kind: 'move'; holdId: string; from: HoldState; to: HoldState; postedAmount: bigint | null };

/** What an operation does: the transfers of its linked group, in order, and the hold it creates or moves. */
export interface Plan {
  operation: OperationName;
  operationId: string;
  transfers: Transfer[];
  holdChange?: HoldChange;
  /** Organisations whose accounts the group touches (ledger subjects, views). */
  organisationIds: string[];
}

/** What planning may look up: immutable facts only (a hold's amount, a transfer), so a plan stays true. */
export interface PlanContext {
  operationId: string;
  newId(): string;
  hold(id: string): Hold | undefined;
  transfer(id: string): Transfer | undefined;
}

/** Hold ids are the caller's: printable ASCII, 1 to 64 characters. */
const HOLD_ID = /^[\x21-\x7e]{1,64}$/;

const requireHoldId = (id: string): string => {
  if (typeof id !== 'string' || !HOLD_ID.test(id))
    throw new SettlementError('invalid', 'invalid_hold', 'a hold id is 1 to 64 printable ASCII characters');
  return id;
};

const REVERSIBLE: readonly TransferCode[] = [
  'deposit',
  'payment',
  'withdrawal',
  'platform_fee',
  'public_resource_fee',
  'revenue_share',
];

/**
 * Turns an operation into its plan, or throws a SettlementError saying why it cannot be done. Balances are not
 * looked at here: the guards are the store's to enforce (the in-memory book and the database alike).
 */
export function planOperation(op: Operation, ctx: PlanContext): Plan {
  const transfer = (
    code: TransferCode,
    debitAccountId: string,
    creditAccountId: string,
    amount: bigint,
    extra: Partial<Pick<Transfer, 'kind' | 'pendingId' | 'pendingAmount' | 'reversesId'>> = {},
  ): Transfer => ({
    id: ctx.newId(),
    operationId: ctx.operationId,
    kind: 'posted',
    code,
    debitAccountId,
    creditAccountId,
    amount,
    pendingId: null,
    pendingAmount: null,
    reversesId: null,
    ...extra,
  });
  const base = { operation: op.name, operationId: ctx.operationId };
  switch (op.name) {
    case 'deposit': {
      requireAmount(op.amount);
      const to = organisationAccount(op.organisationId, 'available');
      return {
        ...base,
        transfers: [transfer('deposit', EXTERNAL_ACCOUNT.id, to.id, op.amount)],
        organisationIds: [op.organisationId],
      };
    }
    case 'withdrawal': {
      requireAmount(op.amount);
      const from = organisationAccount(op.organisationId, op.from);
      return {
        ...base,
        transfers: [transfer('withdrawal', from.id, EXTERNAL_ACCOUNT.id, op.amount)],
        organisationIds: [op.organisationId],
      };
    }
    case 'transfer': {
      requireAmount(op.amount);
      const from = accountOf(op.fromAccountId);
      const to = accountOf(op.toAccountId);
      if (!from || !to || from.id === to.id || from.purpose === 'external' || to.purpose === 'external')
        throw new SettlementError(
          'invalid',
          'invalid_account',
          'a transfer moves money between two different accounts of the platform; deposits and withdrawals ' +
            'are the only movements across the external account',
        );
      return {
        ...base,
        transfers: [transfer('payment', from.id, to.id, op.amount)],
        organisationIds: [...new Set([from.organisationId, to.organisationId].filter((id) => id !== null))],
      };
    }
    case 'hold': {
      requireHoldId(op.holdId);
      requireAmount(op.amount);
      if (ctx.hold(op.holdId)) throw holdExists(op.holdId);
      const pending = transfer(
        'hold',
        organisationAccount(op.payerOrganisationId, 'available').id,
        organisationAccount(op.payerOrganisationId, 'escrow').id,
        op.amount,
        { kind: 'pending' },
      );
      return {
        ...base,
        transfers: [pending],
        holdChange: {
          kind: 'create',
          hold: {
            id: op.holdId,
            payerOrganisationId: op.payerOrganisationId,
            amount: op.amount,
            postedAmount: null,
            state: 'pending',
            pendingTransferId: pending.id,
          },
        },
        organisationIds: [op.payerOrganisationId],
      };
    }
    case 'post':
    case 'void': {
      const hold = pendingHold(ctx, op.holdId);
      const amount = op.name === 'post' ? (op.amount ?? hold.amount) : hold.amount;
      if (op.name === 'post') {
        requireAmount(amount);
        if (amount > hold.amount)
          throw new SettlementError(
            'refused',
            'amount_exceeds_hold',
            `cannot post ${amount} fen of a hold of ${hold.amount} fen`,
          );
      }
      const resolution = transfer(
        op.name,
        organisationAccount(hold.payerOrganisationId, 'available').id,
        organisationAccount(hold.payerOrganisationId, 'escrow').id,
        amount,
        {
          kind: op.name === 'post' ? 'post_pending' : 'void_pending',
          pendingId: hold.pendingTransferId,
          pendingAmount: hold.amount,
        },
      );
      return {
        ...base,
        transfers: [resolution],
        holdChange: {
          kind: 'move',
          holdId: hold.id,
          from: 'pending',
          to: op.name === 'post' ? 'posted' : 'voided',
          postedAmount: op.name === 'post' ? amount : null,
        },
        organisationIds: [hold.payerOrganisationId],
      };
    }
    case 'release': {
      requireSplit(op.split);
      const hold = ctx.hold(requireHoldId(op.holdId));
      if (!hold) throw holdNotFound(op.holdId);
      if (hold.state === 'pending')
        throw new SettlementError('conflict', 'hold_not_posted', `hold ${hold.id} is not posted yet`);
      if (hold.state !== 'posted') throw holdResolved(hold);
      const escrow = organisationAccount(hold.payerOrganisationId, 'escrow').id;
      const amounts = splitRevenue(hold.postedAmount!, op.split);
      // Zero-fen parts are left out before the transfers are made, so their ids run without a gap: a replay
      // rebuilds an operation's transfers as `<operationId>.000` … by their count.
      const parts: [TransferCode, string, bigint][] = [
        ['platform_fee', PLATFORM_FEE_ACCOUNT.id, amounts.platformFee],
        ['public_resource_fee', PUBLIC_FINANCE_ACCOUNT.id, amounts.publicResourceFee],
        ...amounts.parts.map((p): [TransferCode, string, bigint] => [
          'revenue_share',
          organisationAccount(p.organisationId, 'receivable').id,
          p.amount,
        ]),
      ];
      const transfers = parts
        .filter(([, , amount]) => amount > 0n)
        .map(([code, to, amount]) => transfer(code, escrow, to, amount));
      return {
        ...base,
        transfers,
        holdChange: {
          kind: 'move',
          holdId: hold.id,
          from: 'posted',
          to: 'released',
          postedAmount: hold.postedAmount,
        },
        organisationIds: [
          ...new Set([hold.payerOrganisationId, ...amounts.parts.map((p) => p.organisationId)]),
        ],
      };
    }
    case 'reversal': {
      const original = ctx.transfer(op.transferId);
      if (!original)
        throw new SettlementError('not_found', 'transfer_not_found', `transfer ${op.transferId} not found`);
      if (original.kind !== 'posted' || !REVERSIBLE.includes(original.code))
        throw new SettlementError(
          'refused',
          'not_reversible',
          `a ${original.code} transfer is not reversed by a correction; holds are voided, reversals stand`,
        );
      const reversal = transfer(
        'reversal',
        original.creditAccountId,
        original.debitAccountId,
        original.amount,
        {
          reversesId: original.id,
        },
      );
      const organisationIds = [original.debitAccountId, original.creditAccountId]
        .map((id) => accountOf(id)?.organisationId)
        .filter((id): id is string => typeof id === 'string');
      return { ...base, transfers: [reversal], organisationIds: [...new Set(organisationIds)] };
    }
  }
}

function pendingHold(ctx: PlanContext, holdId: string): Hold {
  const hold = ctx.hold(requireHoldId(holdId));
  if (!hold) throw holdNotFound(holdId);
  if (hold.state !== 'pending') throw holdResolved(hold);
  return hold;
}

export const holdNotFound = (id: string) =>
  new SettlementError('not_found', 'hold_not_found', `hold ${id} not found`);
export const holdExists = (id: string) =>
  new SettlementError('conflict', 'hold_exists', `a hold with id ${id} exists already`);
export const holdResolved = (hold: Pick<Hold, 'id' | 'state'>) =>
  new SettlementError(
    'conflict',
    'hold_resolved',
    `hold ${hold.id} is ${hold.state} already; a hold resolves at most once`,
  );
export const alreadyReversed = (id: string) =>
  new SettlementError('conflict', 'already_reversed', `transfer ${id} is reversed already`);

/** A JSON-safe copy of an operation (amounts as decimal strings), for fingerprints and for the ledger. */
export function operationJson(op: Operation): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(op, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as Record<string, unknown>;
}

/**
 * The request's fingerprint: SHA-256 of its RFC 8785 canonical JSON. Same key and same fingerprint → the first
 * result; same key and another fingerprint → refused.
 */
export function fingerprintOf(op: Operation): string {
  return createHash('sha256')
    .update(canonicalize(operationJson(op)) ?? '')
    .digest('hex');
}

/**
 * The fingerprint of a caller's request (not an operation): SHA-256 of the RFC 8785 form of `{request}`, so it
 * never equals an operation's. Precondition: `request` is JSON (bigints are written as decimal strings).
 */
export function fingerprintOfRequest(request: unknown): string {
  const json = JSON.parse(
    JSON.stringify({ request }, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as unknown;
  return createHash('sha256')
    .update(canonicalize(json) ?? '')
    .digest('hex');
}

export interface HoldView {
  id: string;
  payerOrganisationId: string;
  state: HoldState;
  amountFen: string;
  postedFen: string | null;
}

export const holdView = (h: Hold): HoldView => ({
  id: h.id,
  payerOrganisationId: h.payerOrganisationId,
  state: h.state,
  amountFen: h.amount.toString(),
  postedFen: h.postedAmount?.toString() ?? null,
});

/** What an operation returned the first time; a retry with its key gets exactly this again. */
export interface OperationResult {
  operationId: string;
  operation: OperationName;
  transfers: TransferView[];
  hold: HoldView | null;
}

/**
 * What the idempotency row keeps of a result: the transfers themselves are in the transfer table, under the ids
 * `<operationId>.<nnn>` (see `transferIdOf`), so the row stays small.
 */
export interface StoredResult {
  operationId: string;
  operation: OperationName;
  transferCount: number;
  hold: HoldView | null;
}

export const storedResultOf = (r: OperationResult): StoredResult => ({
  operationId: r.operationId,
  operation: r.operation,
  transferCount: r.transfers.length,
  hold: r.hold,
});

/** The id of an operation's `index`-th transfer: ordered, and found by primary key. */
export const transferIdOf = (operationId: string, index: number): string =>
  `${operationId}.${String(index).padStart(3, '0')}`;

/** The transfer ids a stored result names. */
export const transferIdsOf = (s: StoredResult): string[] =>
  Array.from({ length: s.transferCount }, (_, i) => transferIdOf(s.operationId, i));

/** The first result again, from its stored part and its transfers. Precondition: every id of `s` is in `transfers`. */
export const resultFromStored = (
  s: StoredResult,
  transfers: ReadonlyMap<string, Transfer>,
): OperationResult => ({
  operationId: s.operationId,
  operation: s.operation,
  transfers: transferIdsOf(s).map((id) => transferView(transfers.get(id)!)),
  hold: s.hold,
});

/** The hold as a plan leaves it. Precondition: the plan has a hold change and `before` is that hold. */
export function holdAfter(plan: Plan, before: Hold | undefined): Hold | null {
  const change = plan.holdChange;
  if (!change) return null;
  if (change.kind === 'create') return change.hold;
  return { ...before!, state: change.to, postedAmount: change.postedAmount };
}

export const resultOf = (plan: Plan, hold: Hold | null): OperationResult => ({
  operationId: plan.operationId,
  operation: plan.operation,
  transfers: plan.transfers.map(transferView),
  hold: hold ? holdView(hold) : null,
});

export function keyReused(key: string): SettlementError {
  return new SettlementError(
    'refused',
    'idempotency_key_reused',
    `Idempotency-Key ${key} was used for a different request; use a new key for new parameters`,
  );
}
