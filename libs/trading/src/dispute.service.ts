import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Clock, Conflict, NotFound, ValidationFailed, newId } from '@app/core';
import { UnitOfWork, keysetPage } from '@app/database';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { SettlementService, type BatchItem } from '@app/settlement';
import { ContractReader } from './contract-reader.js';
import { splitOf, stepRefused } from './contract-money.js';
import {
  escrowAfter,
  fundingHolds,
  isMetered,
  pendingUnitHolds,
  sellerPartOf,
  spreadOverHolds,
} from './core/index.js';
import { Contract } from './entities/contract.entity.js';
import { Dispute, type DisputeOutcome } from './entities/dispute.entity.js';

export const MAX_EVIDENCE_HASHES = 20;
const EVIDENCE_HASH = /^0x[0-9a-fA-F]{64}$/;

export interface NewDispute {
  statement: string;
  evidenceHashes: string[];
}

export interface Decision {
  outcome: DisputeOutcome;
  /** Split only: the buyer's share of the frozen amount, 1 … 9999 basis points. */
  buyerShareBasisPoints: number | null;
  reason: string;
}

/** What the decision moved, per hold still pending when it was made. */
interface HoldOutcome {
  holdId: string;
  amount: bigint;
  /** Posted to the rights holders (then released by the contract's split); the rest returns to the buyer. */
  paid: bigint;
}

/**
 * Disputes (争议处理, issue 10 item 6): either party opens one while the contract's escrow is held, which freezes
 * it (the contract is `disputed`: confirmation, the delivery timeout and metering are refused); the operator
 * decides with a reason — release (post and release), refund (void) or split (the buyer's share in basis points
 * returns, the rest is posted and released) — across every hold still pending, and the contract ends. Both
 * parties and the overseers see the dispute; everyone else is told it does not exist.
 */
@Injectable()
export class DisputeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly settlement: SettlementService,
    private readonly contracts: ContractReader,
  ) {}

  /** A party opens a dispute: the contract moves `active → disputed` (escrow held) in the same transaction. */
  async open(principal: Principal, contractId: string, input: NewDispute): Promise<Dispute> {
    DisputeService.checkEvidence(input);
    const { contract, side } = await this.contracts.asParty(contractId, principal);
    return this.uow.run(async (em) => {
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Contract,
        { id: contractId, state: 'active', escrow: 'held' },
        { state: 'disputed', updatedAt: now },
      );
      if (moved === 0) await stepRefused(em, contractId, 'open a dispute', 'dispute_not_allowed');
      const dispute = em.create(Dispute, {
        id: newId(),
        contractId,
        openedByOrganisationId: principal.organisationId,
        openedBySide: side,
        openedByAccountId: principal.accountId,
        statement: input.statement,
        evidenceHashes: input.evidenceHashes.map((h) => h.toLowerCase()),
        state: 'open',
        outcome: null,
        buyerShareBasisPoints: null,
        decisionReason: null,
        decidedByAccountId: null,
        decidedAt: null,
        createdAt: now,
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'dispute.opened',
          subjectIds: [dispute.id, contractId, contract.buyerOrganisationId, contract.merchantOrganisationId],
          payload: {
            contractId,
            side,
            statement: input.statement,
            evidenceHashes: dispute.evidenceHashes,
            frozenFen: DisputeService.frozen(contract).toString(),
          },
        },
      ]);
      return dispute;
    });
  }

  /**
   * The operator decides an open dispute. The money moves over the holds still pending (the whole escrow, or the
   * unused units of a per-computation contract): release posts and releases each; refund voids each; split posts
   * `frozen × (10000 − buyerShareBasisPoints) / 10000` (rounded down, spread over the units as evenly as the fen
   * allow) and releases it, the rest returning to the buyer. The dispute, the contract's ending (`refunded` for a
   * refund, else `dispute_decided`), the ledger's `dispute.decided` and the transfers commit together; a second
   * decision is 409.
   */
  async decide(principal: Principal, disputeId: string, decision: Decision): Promise<Dispute> {
    DisputeService.checkDecision(decision);
    const dispute = await this.uow.read((em) => em.findOne(Dispute, { id: disputeId }));
    if (!dispute) throw new NotFound('dispute');
    if (dispute.state !== 'open')
      throw new Conflict(`the dispute is decided already (${dispute.outcome})`, 'dispute_decided');
    const contract = await this.uow.read((em) => em.findOneOrFail(Contract, { id: dispute.contractId }));
    const holds = DisputeService.pending(contract);
    const parts =
      decision.outcome === 'release'
        ? holds.map((h) => h.amount)
        : decision.outcome === 'refund'
          ? holds.map(() => 0n)
          : spreadOverHolds(
              sellerPartOf(
                holds.reduce((sum, h) => sum + h.amount, 0n),
                decision.buyerShareBasisPoints!,
              ),
              holds.map((h) => h.amount),
            );
    const outcomes: HoldOutcome[] = holds.map((h, i) => ({ ...h, paid: parts[i] }));
    const split = splitOf(contract);
    const items: BatchItem[] = outcomes.flatMap((h): BatchItem[] => {
      const key = `dispute:${disputeId}/${h.holdId.slice(contract.id.length) || 'escrow'}`;
      if (h.paid === 0n) return [{ key: `${key}/void`, op: { name: 'void', holdId: h.holdId } }];
      return [
        {
          key: `${key}/post`,
          op: { name: 'post', holdId: h.holdId, ...(h.paid < h.amount ? { amount: h.paid } : {}) },
        },
        { key: `${key}/release`, op: { name: 'release', holdId: h.holdId, split } },
      ];
    });
    const paidOut =
      outcomes.some((h) => h.paid > 0n) || (isMetered(contract) && contract.computationsUsed > 0);
    const returned = outcomes.some((h) => h.paid < h.amount);
    await this.settlement.executeBatch(items, actorOf(principal), {
      replayAfterRefusal: false,
      within: (em) => this.record(em, principal, dispute, contract, decision, outcomes, paidOut, returned),
    });
    return this.uow.read((em) => em.findOneOrFail(Dispute, { id: disputeId }));
  }

  private async record(
    em: EntityManager,
    principal: Principal,
    dispute: Dispute,
    contract: Contract,
    decision: Decision,
    outcomes: HoldOutcome[],
    paidOut: boolean,
    returned: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    const decided = await em.nativeUpdate(
      Dispute,
      { id: dispute.id, state: 'open' },
      {
        state: 'decided',
        outcome: decision.outcome,
        buyerShareBasisPoints: decision.buyerShareBasisPoints,
        decisionReason: decision.reason,
        decidedByAccountId: principal.accountId,
        decidedAt: now,
      },
    );
    if (decided === 0) throw new Conflict('the dispute is decided already', 'dispute_decided');
    const ended = await em.nativeUpdate(
      Contract,
      { id: contract.id, state: 'disputed', computationsUsed: contract.computationsUsed },
      {
        state: 'ended',
        endReason: decision.outcome === 'refund' ? 'refunded' : 'dispute_decided',
        endDetail: decision.reason.slice(0, 500),
        endedAt: now,
        updatedAt: now,
        escrow: escrowAfter(paidOut, returned),
      },
    );
    if (ended === 0) await stepRefused(em, contract.id, 'decide its dispute', 'contract_not_disputed');
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: 'dispute.decided',
        subjectIds: [dispute.id, contract.id, contract.buyerOrganisationId, contract.merchantOrganisationId],
        payload: {
          contractId: contract.id,
          outcome: decision.outcome,
          buyerShareBasisPoints: decision.buyerShareBasisPoints,
          reason: decision.reason,
          holds: outcomes.map((h) => ({
            holdId: h.holdId,
            amountFen: h.amount.toString(),
            paidFen: h.paid.toString(),
            returnedFen: (h.amount - h.paid).toString(),
          })),
        },
      },
    ]);
  }

  async get(principal: Principal, id: string): Promise<Dispute> {
    const dispute = await this.uow.read((em) => em.findOne(Dispute, { id }));
    if (!dispute) throw new NotFound('dispute');
    await this.contracts.visible(dispute.contractId, principal).catch(() => {
      throw new NotFound('dispute');
    });
    return dispute;
  }

  /**
   * Disputes newest first, a page at a time: a party sees those over its own contracts, the operator and the
   * regulators all. Optionally of one contract, or in one state.
   */
  async list(
    principal: Principal,
    filter: { contractId?: string; state?: 'open' | 'decided'; after?: string; limit: number },
  ): Promise<{ disputes: Dispute[]; next: string | null }> {
    const after = keysetPage.after(filter.after);
    return this.uow.read(async (em) => {
      // A party's disputes are those over its contracts: a subquery, so a party with many contracts costs one
      // statement.
      const own = isOverseer(principal)
        ? undefined
        : em
            .createQueryBuilder(Contract, 'c')
            .select('c.id')
            .where({
              $or: [
                { buyerOrganisationId: principal.organisationId },
                { merchantOrganisationId: principal.organisationId },
              ],
            });
      const rows = await em.find(
        Dispute,
        {
          ...after,
          ...(own && filter.contractId
            ? { $and: [{ contractId: { $in: own } }, { contractId: filter.contractId }] }
            : own
              ? { contractId: { $in: own } }
              : filter.contractId
                ? { contractId: filter.contractId }
                : {}),
          ...(filter.state ? { state: filter.state } : {}),
        },
        keysetPage.options(filter.limit),
      );
      const { rows: disputes, next } = keysetPage.cut(rows, filter.limit);
      return { disputes, next };
    });
  }

  /** The holds a decision applies to: the whole escrow, or the units not yet metered. */
  private static pending(c: Contract): { holdId: string; amount: bigint }[] {
    return isMetered(c) ? pendingUnitHolds(c) : fundingHolds(c);
  }

  private static frozen(c: Contract): bigint {
    return DisputeService.pending(c).reduce((sum, h) => sum + h.amount, 0n);
  }

  private static checkEvidence(input: NewDispute): void {
    if (input.evidenceHashes.length > MAX_EVIDENCE_HASHES)
      throw new ValidationFailed(`give at most ${MAX_EVIDENCE_HASHES} evidence hashes`, 'too_much_evidence');
    const bad = input.evidenceHashes.find((h) => !EVIDENCE_HASH.test(h));
    if (bad !== undefined)
      throw new ValidationFailed(
        'each evidence hash is 0x followed by 64 hex digits',
        'invalid_evidence_hash',
      );
  }

  private static checkDecision(d: Decision): void {
    if (d.outcome === 'split') {
      const b = d.buyerShareBasisPoints;
      if (b === null || !Number.isInteger(b) || b < 1 || b > 9999)
        throw new ValidationFailed(
          'a split gives buyerShareBasisPoints: the buyer’s share, 1 to 9999 basis points',
          'invalid_buyer_share',
        );
    } else if (d.buyerShareBasisPoints !== null) {
      throw new ValidationFailed(
        `buyerShareBasisPoints belongs to a split only, not a ${d.outcome}`,
        'invalid_buyer_share',
      );
    }
    if (d.reason.trim() === '') throw new ValidationFailed('a decision gives its reason', 'reason_required');
  }
}
