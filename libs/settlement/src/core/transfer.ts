import type { Balance } from './account.js';

/**
 * TigerBeetle's modes: `posted` moves money at once; `pending` reserves it; `post_pending` posts some or all of a
 * pending transfer (the rest goes back); `void_pending` returns all of it. A transfer is never changed: a mistake
 * is corrected by a reversing transfer.
 */
export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';

/** Why money moved. */
export type TransferCode =
  | 'deposit'
  | 'withdrawal'
  | 'payment'
  | 'hold'
  | 'post'
  | 'void'
  | 'platform_fee'
  | 'public_resource_fee'
  | 'revenue_share'
  | 'reversal';

export interface Transfer {
  id: string;
  /** The operation (linked, all-or-nothing group) the transfer belongs to. */
  operationId: string;
  kind: TransferKind;
  code: TransferCode;
  debitAccountId: string;
  creditAccountId: string;
  /** Fen moved (posted, pending) or posted (post_pending); the amount returned for void_pending. */
  amount: bigint;
  /** post_pending / void_pending: the pending transfer it resolves. */
  pendingId: string | null;
  /** post_pending / void_pending: that pending transfer's amount, which leaves the pending fields. */
  pendingAmount: bigint | null;
  /** A reversal: the transfer it undoes. */
  reversesId: string | null;
}

/** A change to an account's four totals. */
export type BalanceDelta = Balance;

const zero = (): BalanceDelta => ({
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});

/** What a group of transfers does to each account's totals, summed per account (the store applies one update each). */
export function deltasOf(transfers: readonly Transfer[]): Map<string, BalanceDelta> {
  const out = new Map<string, BalanceDelta>();
  const at = (id: string): BalanceDelta => {
    let d = out.get(id);
    if (!d) out.set(id, (d = zero()));
    return d;
  };
  for (const t of transfers) {
    const debit = at(t.debitAccountId);
    const credit = at(t.creditAccountId);
    switch (t.kind) {
      case 'posted':
        debit.debitsPosted += t.amount;
        credit.creditsPosted += t.amount;
        break;
      case 'pending':
        debit.debitsPending += t.amount;
        credit.creditsPending += t.amount;
        break;
      case 'post_pending':
        debit.debitsPending -= t.pendingAmount!;
        credit.creditsPending -= t.pendingAmount!;
        debit.debitsPosted += t.amount;
        credit.creditsPosted += t.amount;
        break;
      case 'void_pending':
        debit.debitsPending -= t.pendingAmount!;
        credit.creditsPending -= t.pendingAmount!;
        break;
    }
  }
  return out;
}

export const addDelta = (b: Balance, d: BalanceDelta): Balance => ({
  debitsPosted: b.debitsPosted + d.debitsPosted,
  creditsPosted: b.creditsPosted + d.creditsPosted,
  debitsPending: b.debitsPending + d.debitsPending,
  creditsPending: b.creditsPending + d.creditsPending,
});

/** A transfer as JSON carries it: amounts as decimal strings. */
export interface TransferView {
  id: string;
  kind: TransferKind;
  code: TransferCode;
  debitAccountId: string;
  creditAccountId: string;
  amountFen: string;
  pendingId: string | null;
  reversesId: string | null;
}

export const transferView = (t: Transfer): TransferView => ({
  id: t.id,
  kind: t.kind,
  code: t.code,
  debitAccountId: t.debitAccountId,
  creditAccountId: t.creditAccountId,
  amountFen: t.amount.toString(),
  pendingId: t.pendingId,
  reversesId: t.reversesId,
});
