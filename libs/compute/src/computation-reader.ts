import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import type { EntityManager } from '@mikro-orm/sql';
import { Conflict, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { isOverseer, type Principal } from '@app/identity';
import type { ComputationState } from './core/index.js';
import { readBlob } from './computation-support.js';
import { Computation } from './entities/computation.entity.js';

export interface ComputationPage {
  items: Computation[];
  next: string | null;
}

/** Who sees a computation: the buyer's and the merchant's organisations, the operator and the regulators. */
export const mayView = (principal: Principal, c: Computation): boolean =>
  isOverseer(principal) ||
  c.buyerOrganisationId === principal.organisationId ||
  c.merchantOrganisationId === principal.organisationId;

const encodeCursor = (c: Computation): string =>
  Buffer.from(`${c.queuedAt.getTime()}.${c.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new ValidationFailed('cursor is not a cursor this API returned', 'invalid_cursor');
  return { at: new Date(Number(match[1])), id: match[2] };
}

/** Reads computations for those who may see them; anyone else is told they do not exist (404). */
@Injectable()
export class ComputationReader {
  constructor(
    private readonly uow: UnitOfWork,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async get(principal: Principal, id: string, em?: EntityManager): Promise<Computation> {
    const c = await (em
      ? em.findOne(Computation, { id })
      : this.uow.read((e) => e.findOne(Computation, { id })));
    if (!c || !mayView(principal, c)) throw new NotFound('computation');
    return c;
  }

  /** Newest first over what the caller may see, optionally one contract's or one state's. */
  async list(
    principal: Principal,
    query: { contractId?: string; state?: ComputationState; cursor?: string; limit: number },
  ): Promise<ComputationPage> {
    const where: Record<string, unknown> = {};
    const and: object[] = [];
    if (query.contractId !== undefined) where.contractId = query.contractId;
    if (query.state !== undefined) where.state = query.state;
    if (!isOverseer(principal))
      and.push({
        $or: [
          { buyerOrganisationId: principal.organisationId },
          { merchantOrganisationId: principal.organisationId },
        ],
      });
    if (query.cursor !== undefined) {
      const { at, id } = decodeCursor(query.cursor);
      and.push({ $or: [{ queuedAt: { $lt: at } }, { queuedAt: at, id: { $lt: id } }] });
    }
    if (and.length > 0) where.$and = and;
    const rows = await this.uow.read((em) =>
      em.find(Computation, where, { orderBy: { queuedAt: 'desc', id: 'desc' }, limit: query.limit + 1 }),
    );
    const items = rows.slice(0, query.limit);
    return { items, next: rows.length > query.limit ? encodeCursor(items[items.length - 1]) : null };
  }

  /** The buyer's sealed result: 404 for anyone but the buyer's organisation, 409 `not_released` before release. */
  async resultOf(principal: Principal, id: string): Promise<Computation> {
    const c = await this.uow.read((e) => e.findOne(Computation, { id }));
    if (!c || c.buyerOrganisationId !== principal.organisationId) throw new NotFound('computation');
    if (c.state !== 'released' || !c.resultSha256)
      throw new Conflict(`the computation is ${c.state}; its result is there once released`, 'not_released');
    return c.repeatOf ? this.resultOf(principal, c.repeatOf) : c;
  }

  /** The sealed envelope of the buyer's released computation, as the agent uploaded it (the platform cannot open it). */
  async result(principal: Principal, id: string): Promise<{ computation: Computation; envelope: object }> {
    const computation = await this.resultOf(principal, id);
    const envelope = JSON.parse(
      (await readBlob(this.blobs, computation.resultSha256!)).toString('utf8'),
    ) as object;
    return { computation, envelope };
  }
}
