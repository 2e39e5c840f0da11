import { Injectable } from '@nestjs/common';
import { Clock, Conflict, Forbidden, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { OVERSEER_ROLES, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import {
  ResultEnvelopeError,
  parseResultPublicKey,
  resultKeyId,
  toBase64Url,
} from './core/result-envelope.js';
import { ResultKey } from './entities/result-key.entity.js';

export interface ResultKeyRecord {
  organisationId: string;
  publicKey: string;
  keyId: string;
  registeredByAccountId: string;
  registeredAt: Date;
}

export interface ResultKeyRegistration extends ResultKeyRecord {
  /** The key this registration replaced; null when it replaced none (the first, or the same key again). */
  previousKeyId: string | null;
}

const record = (k: ResultKey): ResultKeyRecord => ({
  organisationId: k.organisationId,
  publicKey: k.publicKey,
  keyId: k.keyId,
  registeredByAccountId: k.registeredByAccountId,
  registeredAt: k.registeredAt,
});

/** The raw key of a base64url X25519 public key, or 400 `invalid_public_key` saying what is wrong with it. */
export async function validResultPublicKey(text: string): Promise<Uint8Array> {
  try {
    return await parseResultPublicKey(text);
  } catch (error) {
    if (error instanceof ResultEnvelopeError) throw new ValidationFailed(error.message, error.code);
    throw error;
  }
}

/**
 * The public keys buyers have their released results sealed to (issue 11, P4). One key per organisation: a new
 * registration replaces the previous one by a conditional update, with a `resultKey.registered` ledger entry in the
 * same transaction (the ledger keeps every earlier key, so results sealed before a replacement stay attributable).
 * The exchange only ever holds public keys.
 */
@Injectable()
export class ResultKeyService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  /**
   * Registers `publicKey` (base64url of a 32-byte X25519 key) as the caller's organisation's result key. Refusals
   * change nothing: a malformed or low-order key 400 `invalid_public_key`; an overseer's organisation 403; a key
   * replaced by a parallel request 409 `result_key_changed`. The same key again changes nothing and is returned.
   */
  async register(principal: Principal, publicKey: string): Promise<ResultKeyRegistration> {
    if (principal.roles.some((r) => OVERSEER_ROLES.includes(r)))
      throw new Forbidden(
        'overseers do not receive results; they register no result key',
        'overseer_no_result_key',
      );
    const raw = await validResultPublicKey(publicKey);
    const canonical = toBase64Url(raw);
    const keyId = resultKeyId(raw);
    return this.uow.run(async (em) => {
      const organisationId = principal.organisationId;
      const now = this.clock.now();
      const existing = await em.findOne(ResultKey, { organisationId });
      if (existing?.keyId === keyId) return { ...record(existing), previousKeyId: null };
      const previousKeyId = existing?.keyId ?? null;
      const row = {
        publicKey: canonical,
        keyId,
        registeredByAccountId: principal.accountId,
        registeredAt: now,
      };
      if (existing) {
        const moved = await em.nativeUpdate(ResultKey, { organisationId, keyId: existing.keyId }, row);
        if (moved !== 1)
          throw new Conflict(
            'the result key was replaced by another request just now; look at it and try again',
            'result_key_changed',
          );
      } else {
        await em.insert(ResultKey, { organisationId, ...row });
      }
      await this.ledger.record(em, [
        {
          actor: { accountId: principal.accountId, organisationId },
          action: 'resultKey.registered',
          subjectIds: [organisationId],
          payload: { keyId, publicKey: canonical, previousKeyId },
        },
      ]);
      return { organisationId, ...row, previousKeyId };
    });
  }

  /** The organisation's result key, or null when it has registered none. */
  async find(organisationId: string): Promise<ResultKeyRecord | null> {
    const key = await this.uow.read((em) => em.findOne(ResultKey, { organisationId }));
    return key ? record(key) : null;
  }

  /** The organisation's result key, or 404 when it has registered none. */
  async of(organisationId: string): Promise<ResultKeyRecord> {
    const key = await this.find(organisationId);
    if (!key) throw new NotFound('result key');
    return key;
  }
}
