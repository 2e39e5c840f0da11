import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { checkBand } from '@app/compliance';
import { Clock, Conflict, enforce, newId } from '@app/core';
import { UnitOfWork } from '@app/database';
import { LedgerRecorder } from '@app/ledger';
import { actorOf, type Principal } from '@app/identity';
import { PricingBand } from './entities/pricing-band.entity.js';

export interface NewPricingBand {
  category: string;
  minFen: bigint;
  maxFen: bigint;
  publicResourceFeeBasisPoints: number;
}

/** The regulator's bands for government-guided prices (DE 41) and the public-resource fee (DE 36). */
@Injectable()
export class PricingBandService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  /**
   * Publishes a band for a category, superseding the current one (kept, marked superseded). Two parallel
   * publications for one category both aim at the next version; the unique (category, version) lets one in.
   */
  async publish(principal: Principal, band: NewPricingBand): Promise<PricingBand> {
    enforce(checkBand(band));
    return this.uow.run(async (em) => {
      const current = await PricingBandService.current(em, band.category);
      const now = this.clock.now();
      if (current) {
        const superseded = await em.nativeUpdate(
          PricingBand,
          { id: current.id, supersededAt: null },
          { supersededAt: now },
        );
        if (superseded === 0) {
          throw new Conflict(
            `the band for ${band.category} changed meanwhile; publish again`,
            'band_changed',
          );
        }
      }
      const created = em.create(PricingBand, {
        id: newId(),
        category: band.category,
        version: (current?.version ?? 0) + 1,
        minFen: band.minFen,
        maxFen: band.maxFen,
        publicResourceFeeBasisPoints: band.publicResourceFeeBasisPoints,
        publishedByOrganisationId: principal.organisationId,
        publishedAt: now,
        supersededAt: null,
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'pricingBand.published',
          subjectIds: [created.id],
          payload: {
            category: band.category,
            version: created.version,
            minFen: band.minFen.toString(),
            maxFen: band.maxFen.toString(),
            publicResourceFeeBasisPoints: band.publicResourceFeeBasisPoints,
            supersedes: current?.id ?? null,
          },
        },
      ]);
      return created;
    });
  }

  /** Bands in force, one per category; with `history`, every band ever published. */
  async list(options: { category?: string; history?: boolean }): Promise<PricingBand[]> {
    return this.uow.read((em) =>
      em.find(
        PricingBand,
        {
          ...(options.category !== undefined ? { category: options.category } : {}),
          ...(options.history ? {} : { supersededAt: null }),
        },
        { orderBy: { category: 'asc', version: 'desc' }, limit: 1000 },
      ),
    );
  }

  /** The band in force for a category, read in the caller's transaction. */
  static async current(em: EntityManager, category: string): Promise<PricingBand | null> {
    return em.findOne(PricingBand, { category, supersededAt: null }, { orderBy: { version: 'desc' } });
  }
}
