import type { Balance } from './account.js';
import { deltasOf, addDelta, type Transfer } from './transfer.js';

export interface TrialBalance {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  /** Debits equal credits, posted and pending alike. */
  balanced: boolean;
}

/** Sums every account's totals. Double entry: each transfer adds the same to one debit and one credit column. */
export function trialBalance(balances: Iterable<Balance>): TrialBalance {
  const t = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
  for (const b of balances) {
    t.debitsPosted += b.debitsPosted;
    t.creditsPosted += b.creditsPosted;
    t.debitsPending += b.debitsPending;
    t.creditsPending += b.creditsPending;
  }
  return { ...t, balanced: t.debitsPosted === t.creditsPosted && t.debitsPending === t.creditsPending };
}

/** Every account's totals recomputed from the transfers alone: what the stored balances must equal. */
export function balancesFromTransfers(transfers: Iterable<Transfer>): Map<string, Balance> {
  const out = new Map<string, Balance>();
  for (const [id, delta] of deltasOf([...transfers])) {
    out.set(
      id,
      addDelta({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }, delta),
    );
  }
  return out;
}
