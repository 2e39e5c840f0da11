import { availableOf, type AccountFigures, type Execution } from '@app/settlement';
import type { AccountBalanceResponse, MovementResponse } from './dto/settlement.response.js';

export const movementView = (e: Execution): MovementResponse => ({
  operationId: e.result.operationId,
  operation: e.result.operation,
  replayed: e.replayed,
  transfers: e.result.transfers.map((t) => ({ ...t })),
  hold: e.result.hold ? { ...e.result.hold } : null,
});

export const balanceView = (a: AccountFigures): AccountBalanceResponse => ({
  accountId: a.accountId,
  organisationId: a.organisationId,
  purpose: a.purpose,
  availableFen: availableOf(a.balance).toString(),
  pendingFen: (a.balance.debitsPending + a.balance.creditsPending).toString(),
  debitsPostedFen: a.balance.debitsPosted.toString(),
  creditsPostedFen: a.balance.creditsPosted.toString(),
  debitsPendingFen: a.balance.debitsPending.toString(),
  creditsPendingFen: a.balance.creditsPending.toString(),
});
