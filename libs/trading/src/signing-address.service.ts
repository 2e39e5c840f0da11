import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { getAddress } from 'ethers';
import { Clock, Conflict, DomainError, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { Organisation, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import {
  MAX_OPEN_CHALLENGES,
  SIGNING_CHALLENGE_TTL_MS,
  challengeRefusal,
  normaliseSignature,
  recoverPersonalSigner,
  signingChallengeMessage,
} from './core/signing-challenge.js';
import { SigningAddress } from './entities/signing-address.entity.js';
import { SigningChallenge } from './entities/signing-challenge.entity.js';

export interface IssuedChallenge {
  message: string;
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface SigningAddressRecord {
  organisationId: string;
  address: string;
  registeredByAccountId: string;
  registeredAt: Date;
  /** The address this registration replaced, when there was one. */
  previousAddress: string | null;
}

/** 422: a signature that does not prove what it is offered for (another key, other text, expired challenge). */
export class SignatureRefused extends DomainError {
  constructor(code: string, message: string) {
    super('refused', code, message);
  }
}

/** A checksummed address, or 400 saying what is wrong with `address`. */
export function checksummedAddress(address: string): string {
  try {
    return getAddress(address);
  } catch {
    throw new ValidationFailed(
      'address is not an Ethereum address (0x and 40 hex digits; mixed case must be a valid EIP-55 checksum)',
      'invalid_address',
    );
  }
}

/** A normalised 65-byte signature, or 400. */
export function wellFormedSignature(signature: string): string {
  const normalised = normaliseSignature(signature);
  if (!normalised)
    throw new ValidationFailed(
      'signature is not a secp256k1 signature: 0x and 130 hex digits (r, s, v) or 128 (EIP-2098), low s',
      'invalid_signature',
    );
  return normalised;
}

/**
 * The address each organisation signs contracts with, registered by proof of possession: the organisation fetches
 * a challenge (stored, random nonce, ten minutes, one use), signs it with `personal_sign` (EIP-191), and sends back
 * the address and the signature. The exchange finds which of the organisation's challenges the signature recovers
 * to that address over, uses it up by a conditional update, and replaces the previous address, all in one
 * transaction with the ledger entry.
 */
@Injectable()
export class SigningAddressService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  /** A new challenge for the caller's organisation; expired ones are swept and at most ten stay open. */
  async challenge(principal: Principal): Promise<IssuedChallenge> {
    return this.uow.run(async (em) => {
      const organisation = await em.findOne(Organisation, { id: principal.organisationId });
      if (!organisation) throw new NotFound('organisation');
      const now = this.clock.now();
      await em.nativeDelete(SigningChallenge, {
        organisationId: principal.organisationId,
        expiresAt: { $lte: now },
      });
      const open = await em.find(
        SigningChallenge,
        { organisationId: principal.organisationId, usedAt: null },
        { orderBy: { issuedAt: 'desc', nonce: 'desc' }, fields: ['nonce'] },
      );
      const surplus = open.slice(MAX_OPEN_CHALLENGES - 1).map((c) => c.nonce);
      if (surplus.length) await em.nativeDelete(SigningChallenge, { nonce: { $in: surplus } });
      const nonce = randomBytes(16).toString('hex');
      const expiresAt = new Date(now.getTime() + SIGNING_CHALLENGE_TTL_MS);
      const message = signingChallengeMessage({
        organisationId: organisation.id,
        organisationName: organisation.name,
        nonce,
        issuedAt: now,
        expiresAt,
      });
      await em.insert(SigningChallenge, {
        nonce,
        organisationId: organisation.id,
        issuedToAccountId: principal.accountId,
        message,
        issuedAt: now,
        expiresAt,
        usedAt: null,
      });
      return { message, nonce, issuedAt: now, expiresAt };
    });
  }

  /**
   * Registers `address` for the caller's organisation when `signature` is its key's EIP-191 signature over one of
   * the organisation's open challenges; replaces the previous address. Refusals change nothing: a malformed address
   * or signature 400, a signature that recovers to another address over every challenge of the organisation
   * (another key, other text, a challenge issued to another organisation) 422 `signature_mismatch`, an expired
   * challenge 422 `challenge_expired`, a used one 409 `challenge_used`.
   */
  async register(principal: Principal, address: string, signature: string): Promise<SigningAddressRecord> {
    const claimed = checksummedAddress(address);
    const sig = wellFormedSignature(signature);
    return this.uow.run(async (em) => {
      const organisationId = principal.organisationId;
      const now = this.clock.now();
      const challenges = await em.find(
        SigningChallenge,
        { organisationId },
        { orderBy: { issuedAt: 'desc', nonce: 'desc' } },
      );
      const match = challenges.find((c) => recoverPersonalSigner(c.message, sig) === claimed);
      if (!match) {
        const newest = challenges.find((c) => !c.usedAt && now < c.expiresAt);
        const recovered = newest ? recoverPersonalSigner(newest.message, sig) : null;
        throw new SignatureRefused(
          'signature_mismatch',
          `the signature does not prove possession of ${claimed}: over none of your organisation's challenges ` +
            `does it recover to that address (made by another key, over other text, or over a challenge issued ` +
            `to another organisation)` +
            (newest && recovered
              ? `; over your newest challenge (nonce ${newest.nonce}) it recovers to ${recovered}`
              : '') +
            (newest ? '' : '; fetch a challenge from GET /v1/signing-address/challenge first'),
        );
      }
      const refusal = challengeRefusal(match, organisationId, now);
      if (refusal?.code === 'challenge_used') throw new Conflict(refusal.reason, refusal.code);
      if (refusal) throw new SignatureRefused(refusal.code, refusal.reason);
      const used = await em.nativeUpdate(
        SigningChallenge,
        { nonce: match.nonce, usedAt: null },
        { usedAt: now },
      );
      if (used !== 1)
        throw new Conflict(
          'the challenge was used by another request just now; fetch a new one',
          'challenge_used',
        );

      const existing = await em.findOne(SigningAddress, { organisationId });
      const previousAddress = existing?.address ?? null;
      if (existing) {
        const moved = await em.nativeUpdate(
          SigningAddress,
          { organisationId, address: existing.address },
          { address: claimed, registeredByAccountId: principal.accountId, registeredAt: now },
        );
        if (moved !== 1)
          throw new Conflict(
            'the signing address was changed by another request just now; look at it and try again',
            'signing_address_changed',
          );
      } else {
        await em.insert(SigningAddress, {
          organisationId,
          address: claimed,
          registeredByAccountId: principal.accountId,
          registeredAt: now,
        });
      }
      await this.ledger.record(em, [
        {
          actor: { accountId: principal.accountId, organisationId },
          action: 'signingAddress.registered',
          subjectIds: [organisationId],
          payload: { address: claimed, previousAddress, challengeNonce: match.nonce },
        },
      ]);
      return {
        organisationId,
        address: claimed,
        registeredByAccountId: principal.accountId,
        registeredAt: now,
        previousAddress,
      };
    });
  }

  /** The caller's organisation's signing address, or null when it has none. */
  async current(principal: Principal): Promise<SigningAddress | null> {
    return this.uow.read((em) => em.findOne(SigningAddress, { organisationId: principal.organisationId }));
  }
}
