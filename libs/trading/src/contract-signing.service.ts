import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import type { Wallet } from 'ethers';
import { Clock, Conflict } from '@app/core';
import { UnitOfWork, keysetPage } from '@app/database';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LEDGER_KEY, LedgerRecorder, SYSTEM_ACTOR } from '@app/ledger';
import { ContractReader, type ContractSide } from './contract-reader.js';
import { CONTRACT_TRANSITIONS, type ContractState } from './core/contract-transitions.js';
import { CONTRACT_TYPES, contractTypedData, recoverContractSigner } from './core/contract-typed-data.js';
import { Contract } from './entities/contract.entity.js';
import { SigningAddress } from './entities/signing-address.entity.js';
import { NegotiationService } from './negotiation.service.js';
import { SignatureRefused, wellFormedSignature } from './signing-address.service.js';

export interface ContractPage {
  contracts: Contract[];
  next: string | null;
}

const SIGNATURE_FIELDS = {
  buyer: { signer: 'buyerSigner', signature: 'buyerSignature', signedAt: 'buyerSignedAt' },
  merchant: { signer: 'merchantSigner', signature: 'merchantSignature', signedAt: 'merchantSignedAt' },
} as const;

/**
 * The parties' signatures and the exchange's countersignature (issue 10 item 3). Each party signs the contract's
 * EIP-712 typed data with the key of its organisation's registered signing address; the signature is checked by
 * recovering the signer from the typed data as stored, so a signature over other terms or over another contract
 * recovers another address and is refused. The second party's signature and the countersignature by the ledger key
 * are one transaction, which also moves the contract to `signed` and the negotiation to `verified`.
 */
@Injectable()
export class ContractSigningService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly reader: ContractReader,
    private readonly negotiations: NegotiationService,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
  ) {}

  /** The address that countersigns contracts: the ledger key's, published at GET /v1/ledger/key. */
  get platformSigner(): string {
    return this.key.address;
  }

  async get(principal: Principal, id: string): Promise<Contract> {
    return this.reader.visible(id, principal);
  }

  /** A party's own contracts (as buyer or merchant), every contract for overseers; newest first, paged. */
  async list(
    principal: Principal,
    query: { state?: ContractState; after?: string; limit: number },
  ): Promise<ContractPage> {
    const after = keysetPage.after(query.after);
    const mine = principal.organisationId;
    return this.uow.read(async (em) => {
      const contracts = await em.find(
        Contract,
        {
          $and: [
            isOverseer(principal)
              ? {}
              : { $or: [{ buyerOrganisationId: mine }, { merchantOrganisationId: mine }] },
            query.state ? { state: query.state } : {},
            after,
          ],
        },
        keysetPage.options(query.limit),
      );
      const { rows, next } = keysetPage.cut(contracts, query.limit);
      return { contracts: rows, next };
    });
  }

  /**
   * Records the caller's side's signature. Preconditions checked, each refusal changing nothing: the caller is a
   * party (others 404, overseers 403), the contract awaits signatures (409 `contract_not_awaiting_signatures`), its
   * side has not signed (409 `already_signed`), its organisation has a signing address (409
   * `signing_address_required`), and `signature` recovers to that address over this contract's typed data (422
   * `signature_mismatch`, naming the expected and the recovered address). The signature is set by a conditional
   * update on (state, this side unsigned); when the other side's signature is then present, the exchange
   * countersigns in the same transaction.
   */
  async sign(principal: Principal, id: string, signature: string): Promise<Contract> {
    const sig = wellFormedSignature(signature);
    return this.uow.run(async (em) => {
      const { contract, side } = await this.reader.asParty(id, principal, em);
      ContractSigningService.assertSignable(contract, side);
      const registered = await em.findOne(SigningAddress, { organisationId: principal.organisationId });
      if (!registered)
        throw new Conflict(
          'your organisation has no signing address; register one first (GET /v1/signing-address/challenge, ' +
            'sign it, POST /v1/signing-address, or `exchange signing-address register`)',
          'signing_address_required',
        );
      const recovered = recoverContractSigner(contract, sig);
      if (recovered !== registered.address)
        throw new SignatureRefused(
          'signature_mismatch',
          `the signature does not verify against your organisation's signing address: expected ` +
            `${registered.address}, recovered ${recovered ?? 'nothing'} from this contract's typed data ` +
            `(a signature by another key, over other terms, or over another contract)`,
        );
      const now = this.clock.now();
      const fields = SIGNATURE_FIELDS[side];
      const moved = await em.nativeUpdate(
        Contract,
        { id, state: 'awaiting_signatures', [fields.signature]: null },
        {
          [fields.signer]: registered.address,
          [fields.signature]: sig,
          [fields.signedAt]: now,
          updatedAt: now,
        },
      );
      if (moved !== 1) {
        ContractSigningService.assertSignable(
          await em.findOneOrFail(Contract, { id }, { refresh: true }),
          side,
        );
        throw new Conflict('the contract changed while signing; try again', 'contract_changed');
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: CONTRACT_TRANSITIONS.sign.recorded,
          subjectIds: [id, contract.negotiationId],
          payload: { side, signer: registered.address, signature: sig, termsHash: contract.termsHash },
        },
      ]);
      // Read after our update: on PostgreSQL the row is ours until commit, and a party who signed before us has
      // committed, so of two parallel signatures exactly one sees both and countersigns.
      const signed = await em.findOneOrFail(Contract, { id }, { refresh: true });
      if (signed.buyerSignature && signed.merchantSignature) await this.countersign(em, signed);
      return em.findOneOrFail(Contract, { id }, { refresh: true });
    });
  }

  private static assertSignable(contract: Contract, side: ContractSide): void {
    if (contract.state !== 'awaiting_signatures')
      throw new Conflict(
        `the contract is ${contract.state}; only a contract awaiting signatures is signed`,
        'contract_not_awaiting_signatures',
      );
    if (contract[SIGNATURE_FIELDS[side].signature])
      throw new Conflict(`the ${side} has already signed this contract`, 'already_signed');
  }

  /**
   * The exchange's countersignature with the ledger key over the same typed data, the move to `signed`, and the
   * negotiation's move to `verified`. Precondition: `em` is inside the transaction that recorded the second party
   * signature, and `contract` was read after it (both signatures present, both verified when recorded).
   */
  private async countersign(em: EntityManager, contract: Contract): Promise<void> {
    const typed = contractTypedData(contract);
    const signature = (
      await this.key.signTypedData(typed.domain, CONTRACT_TYPES, typed.message)
    ).toLowerCase();
    const now = this.clock.now();
    const moved = await em.nativeUpdate(
      Contract,
      {
        id: contract.id,
        state: 'awaiting_signatures',
        platformSignature: null,
        buyerSignature: { $ne: null },
        merchantSignature: { $ne: null },
      },
      {
        state: 'signed',
        platformSigner: this.key.address,
        platformSignature: signature,
        countersignedAt: now,
        updatedAt: now,
      },
    );
    if (moved !== 1)
      throw new Conflict('the contract was countersigned by another request just now', 'contract_changed');
    await this.negotiations.markVerified(em, contract.negotiationId);
    await this.ledger.record(em, [
      {
        actor: SYSTEM_ACTOR,
        action: CONTRACT_TRANSITIONS.countersign.recorded,
        subjectIds: [contract.id, contract.negotiationId],
        payload: {
          from: 'awaiting_signatures',
          to: 'signed',
          signer: this.key.address,
          signature,
          termsHash: contract.termsHash,
          buyerSigner: contract.buyerSigner ?? null,
          merchantSigner: contract.merchantSigner ?? null,
        },
      },
    ]);
  }
}
