import { accountOf, breaksGuard, flagsOf, zeroBalance, type Balance } from './account.js';
import { insufficientFunds } from './settlement-error.js';
import {
  alreadyReversed,
  fingerprintOf,
  holdAfter,
  holdExists,
  holdResolved,
  keyReused,
  planOperation,
  resultOf,
  type Hold,
  type Operation,
  type OperationResult,
} from './operation.js';
import { addDelta, deltasOf, type Transfer } from './transfer.js';

/**
 * The whole settlement model in memory: accounts with store-kept balances, immutable transfers, holds and
 * idempotency keys. Each operation is all-or-nothing: it checks the key, plans, applies the group's deltas to copies
 * of the balances, and commits only when no guarded balance breaks. The database store does the same with
 * conditional updates; the storage tests compare the two.
 */
export class SettlementBook {
  readonly balances = new Map<string, Balance>();
  readonly transfers: Transfer[] = [];
  readonly holds = new Map<string, Hold>();
  private readonly transfersById = new Map<string, Transfer>();
  private readonly reversed = new Set<string>();
  private readonly keys = new Map<string, { fingerprint: string; result: OperationResult }>();
  private nextId = 0;

  constructor(private readonly newId: () => string = () => `t${++this.nextId}`) {}

  /** Runs `op` under `key`: the first result again for a retry, a refusal for the key with other parameters. */
  execute(key: string, op: Operation): OperationResult {
    const fingerprint = fingerprintOf(op);
    const seen = this.keys.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) throw keyReused(key);
      return seen.result;
    }
    const plan = planOperation(op, {
      operationId: this.newId(),
      newId: this.newId,
      hold: (id) => this.holds.get(id),
      transfer: (id) => this.transfersById.get(id),
    });
    const change = plan.holdChange;
    const before = change
      ? this.holds.get(change.kind === 'create' ? change.hold.id : change.holdId)
      : undefined;
    if (change?.kind === 'create' && before) throw holdExists(change.hold.id);
    if (change?.kind === 'move' && before?.state !== change.from) throw holdResolved(before!);
    const reverses = plan.transfers.map((t) => t.reversesId).filter((id): id is string => id !== null);
    for (const id of reverses) if (this.reversed.has(id)) throw alreadyReversed(id);

    const next = new Map<string, Balance>();
    for (const [id, delta] of [...deltasOf(plan.transfers)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const after = addDelta(this.balances.get(id) ?? zeroBalance(), delta);
      if (breaksGuard(flagsOf(accountOf(id)!.purpose), after)) throw insufficientFunds(id);
      next.set(id, after);
    }
    for (const [id, balance] of next) this.balances.set(id, balance);
    for (const t of plan.transfers) {
      this.transfers.push(t);
      this.transfersById.set(t.id, t);
    }
    for (const id of reverses) this.reversed.add(id);
    const hold = holdAfter(plan, before);
    if (hold) this.holds.set(hold.id, hold);
    const result = resultOf(plan, hold);
    this.keys.set(key, { fingerprint, result });
    return result;
  }
}
