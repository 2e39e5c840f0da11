import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import {
  Asset,
  AssetLifecycle,
  AssetReader,
  AssetReviewService,
  inputOf,
  type ListableAsset,
} from '@app/assets';
import {
  allowance,
  checkListingShape,
  checkPrice,
  combinedProtection,
  type BillingUnit,
  type DataKind,
  type DataLevel,
  type DeliveryMode,
  type OpenAttribute,
  type PricingMode,
} from '@app/compliance';
import { Clock, Conflict, NotFound, RuleRefused, ValidationFailed, enforce, newId } from '@app/core';
import { UnitOfWork, keysetPage, sqlKindOf } from '@app/database';
import { actorOf, Organisation, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder, SYSTEM_ACTOR, type LedgerEvent } from '@app/ledger';
import { Listing, ListingAsset, type ListingRecipe, type ListingStatus } from './entities/listing.entity.js';
import { PricingBand } from './entities/pricing-band.entity.js';
import { assertRecipes } from './listing-recipes.js';
import { LISTING_TRANSITIONS, catalogueChange, type ListingAction } from './listing-transitions.js';
import { PricingBandService } from './pricing-band.service.js';
import { CatalogIndex } from './search/index.js';
import type { CatalogEntry } from './search/index.js';

/** What a merchant asks to list. */
export interface NewListing {
  assetIds: string[];
  title: string;
  description: string;
  pricing: { mode: PricingMode; priceFen: bigint; category: string | null };
  billingUnits: BillingUnit[];
  subscriptionDays: number | null;
  delivery: DeliveryMode;
  recipes: ListingRecipe[];
  minRows: number | null;
  /** Compute delivery: each contract's ε budget and one release's ε, in thousandths; null = the platform default. */
  epsilonBudgetMilli?: number | null;
  epsilonPerReleaseMilli?: number | null;
}

/** A listing as the API shows it: the row, the assets it is built from (in the merchant's order), its band. */
export interface ListingRecord {
  listing: Listing;
  assetIds: string[];
  band: PricingBand | null;
}

export interface ListingPage {
  records: ListingRecord[];
  next: string | null;
}

/** Who may see an asset when choosing it for a listing: its registrant and the holders of any of its rights. */
const seesAsset = (asset: ListableAsset, organisationId: string): boolean =>
  asset.registrantId === organisationId ||
  asset.holders.holding.includes(organisationId) ||
  asset.holders.processing.includes(organisationId) ||
  asset.holders.operation.includes(organisationId);

/** The listing's protection and band as the current assets and bands make them. */
interface Assessment {
  level: DataLevel;
  openAttribute: OpenAttribute;
  dataKinds: DataKind[];
  industry: string;
  band: PricingBand | null;
}

/**
 * Listings (issue 9 items 6–8): made from registered assets the merchant operates (DE 35), checked against the
 * listing rules (DS 29, DS 58, DS 59, DE 31) and prices (DE 41), and moved through their lifecycle by the transition
 * table; each step is a conditional update and a ledger entry in one transaction, and the catalogue follows every
 * step into or out of `published` in that same transaction.
 */
@Injectable()
export class ListingService implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly assets: AssetReader,
    private readonly lifecycle: AssetLifecycle,
    private readonly reviews: AssetReviewService,
    private readonly index: CatalogIndex,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onWithdrawn((em, assetId, reason) => this.suspendForAsset(em, assetId, reason));
  }

  async create(principal: Principal, input: NewListing): Promise<ListingRecord> {
    ListingService.checkInput(input);
    return this.uow.run(async (em) => {
      const assessment = await this.assess(em, principal.organisationId, input.assetIds, input, true);
      const now = this.clock.now();
      const listing = em.create(Listing, {
        id: newId(),
        organisationId: principal.organisationId,
        title: input.title,
        description: input.description,
        industry: assessment.industry,
        level: assessment.level,
        openAttribute: assessment.openAttribute,
        dataKinds: assessment.dataKinds,
        pricingMode: input.pricing.mode,
        priceFen: input.pricing.priceFen,
        pricingCategory: input.pricing.category,
        pricingBandId: assessment.band?.id ?? null,
        billingUnits: input.billingUnits,
        subscriptionDays: input.subscriptionDays,
        delivery: input.delivery,
        recipes: input.recipes,
        minRows: input.minRows,
        epsilonBudgetMilli: input.epsilonBudgetMilli ?? null,
        epsilonPerReleaseMilli: input.epsilonPerReleaseMilli ?? null,
        status: 'draft',
        statusReason: null,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
      });
      await em.flush();
      // Its own statement after the listing's: the ORM knows no relation that would order the two inserts.
      await em.insertMany(
        ListingAsset,
        input.assetIds.map((assetId, position) => ({ listingId: listing.id, assetId, position })),
      );
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'listing.created',
          subjectIds: [listing.id, ...input.assetIds],
          payload: {
            assetIds: input.assetIds,
            title: input.title,
            level: assessment.level,
            openAttribute: assessment.openAttribute,
            pricingMode: input.pricing.mode,
            priceFen: input.pricing.priceFen.toString(),
            pricingBandId: assessment.band?.id ?? null,
            billingUnits: input.billingUnits,
            delivery: input.delivery,
            recipes: input.recipes.map((r) => ({ recipe: r.recipe, columns: r.columns })),
            minRows: input.minRows,
            epsilonBudgetMilli: input.epsilonBudgetMilli ?? null,
            epsilonPerReleaseMilli: input.epsilonPerReleaseMilli ?? null,
          },
        },
      ]);
      return { listing, assetIds: input.assetIds, band: assessment.band };
    });
  }

  /**
   * One step of the lifecycle. Submission and approval check the listing again against its assets as they are now
   * and the band in force (an approved guided listing keeps the band it was approved under); publication and
   * reinstatement check that its assets are still registered, operated by the merchant and of the same protection.
   */
  async transition(
    principal: Principal,
    id: string,
    action: ListingAction,
    reason: string | null,
  ): Promise<ListingRecord> {
    return this.uow.run((em) => this.transitionIn(em, principal, id, action, reason));
  }

  /**
   * `transition` inside the caller's transaction, for a use case that takes a listing step among others (a
   * complaint's decision suspending the listing). Precondition: `em` is inside that transaction.
   */
  async transitionIn(
    em: EntityManager,
    principal: Principal,
    id: string,
    action: ListingAction,
    reason: string | null,
  ): Promise<ListingRecord> {
    const step = LISTING_TRANSITIONS[action];
    if (step.reasonRequired && !reason) {
      throw new ValidationFailed(`to ${action} a listing, give a reason`, 'reason_required');
    }
    const listing = await em.findOne(Listing, { id });
    const owner = listing?.organisationId === principal.organisationId;
    if (!listing || (step.by === 'merchant' && !owner)) throw new NotFound('listing');
    if (step.by !== 'merchant' && owner) {
      throw new Conflict(`the exchange does not ${action} its own listings`, 'own_listing');
    }
    if (!step.from.includes(listing.status)) {
      throw new Conflict(`cannot ${action} a listing that is ${listing.status}`, 'invalid_transition');
    }
    const assetIds = await ListingService.assetIdsOf(em, id);
    let changes: Partial<Pick<Listing, 'level' | 'openAttribute' | 'pricingBandId'>> = {};
    if (action === 'submit' || action === 'approve') {
      const a = await this.assess(
        em,
        listing.organisationId,
        assetIds,
        ListingService.inputOf(listing, assetIds),
        false,
      );
      changes = { level: a.level, openAttribute: a.openAttribute, pricingBandId: a.band?.id ?? null };
    } else if (action === 'publish' || action === 'reinstate') {
      const a = await this.assess(em, listing.organisationId, assetIds, null, false);
      if (a.level !== listing.level || a.openAttribute !== listing.openAttribute) {
        throw new Conflict(
          `the listing's assets are now ${a.level} and ${a.openAttribute} (the listing was reviewed as ` +
            `${listing.level} and ${listing.openAttribute}); withdraw it and list again`,
          'assets_changed',
        );
      }
    }
    // The asset rows were locked first (assess), the listing row now: the order an asset's withdrawal takes too.
    // Locked, the status read is the one the update replaces, so a step valid from either of two statuses (a
    // withdrawal racing a suspension) is not refused for a status that changed in between.
    const from = await ListingService.lockedStatus(em, id);
    if (!step.from.includes(from)) {
      throw new Conflict(`cannot ${action} a listing that is ${from}`, 'invalid_transition');
    }
    const now = this.clock.now();
    const moved = await em.nativeUpdate(
      Listing,
      { id, status: from },
      {
        ...changes,
        status: step.to,
        statusReason: reason,
        updatedAt: now,
        ...(step.to === 'published' ? { publishedAt: now } : {}),
      },
    );
    if (moved === 0) {
      const current = await em.findOneOrFail(Listing, { id }, { refresh: true });
      throw new Conflict(`cannot ${action} a listing that is ${current.status}`, 'invalid_transition');
    }
    const updated = await em.findOneOrFail(Listing, { id }, { refresh: true });
    await this.followInCatalogue(em, updated, from);
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: step.recorded,
        subjectIds: [id],
        payload: {
          from,
          to: step.to,
          reason,
          level: updated.level,
          ...(changes.pricingBandId ? { pricingBandId: changes.pricingBandId } : {}),
        },
      },
    ]);
    return { listing: updated, assetIds, band: await ListingService.bandOf(em, updated) };
  }

  /** The merchant sees its own listings in any status, overseers all; anyone else only published ones. */
  async get(principal: Principal, id: string): Promise<ListingRecord> {
    return this.uow.read(async (em) => {
      const listing = await em.findOne(Listing, { id });
      if (
        !listing ||
        (listing.status !== 'published' &&
          listing.organisationId !== principal.organisationId &&
          !isOverseer(principal))
      ) {
        throw new NotFound('listing');
      }
      return {
        listing,
        assetIds: await ListingService.assetIdsOf(em, id),
        band: await ListingService.bandOf(em, listing),
      };
    });
  }

  /** A merchant's own listings, or every listing for overseers; newest first, a page at a time. */
  async list(
    principal: Principal,
    query: { status?: ListingStatus; after?: string; limit: number },
  ): Promise<ListingPage> {
    const after = keysetPage.after(query.after);
    return this.uow.read(async (em) => {
      const listings = await em.find(
        Listing,
        {
          ...(isOverseer(principal) ? {} : { organisationId: principal.organisationId }),
          ...(query.status ? { status: query.status } : {}),
          ...after,
        },
        keysetPage.options(query.limit),
      );
      const { rows: page, next } = keysetPage.cut(listings, query.limit);
      const links = page.length
        ? await em.find(
            ListingAsset,
            { listingId: { $in: page.map((l) => l.id) } },
            { orderBy: { position: 'asc' } },
          )
        : [];
      const bandIds = [...new Set(page.map((l) => l.pricingBandId).filter((b): b is string => b !== null))];
      const bands = bandIds.length ? await em.find(PricingBand, { id: { $in: bandIds } }) : [];
      return {
        records: page.map((listing) => ({
          listing,
          assetIds: links.filter((k) => k.listingId === listing.id).map((k) => k.assetId),
          band: bands.find((b) => b.id === listing.pricingBandId) ?? null,
        })),
        next,
      };
    });
  }

  /**
   * The hook assets calls, inside its own transaction, when an asset stops being listable: each published listing
   * built on it is suspended (DS 58) and leaves the catalogue. Precondition: `em` is inside that transaction.
   */
  async suspendForAsset(em: EntityManager, assetId: string, reason: string): Promise<void> {
    const links = await em.find(ListingAsset, { assetId });
    if (links.length === 0) return;
    const listings = await em.find(Listing, {
      id: { $in: links.map((k) => k.listingId) },
      status: 'published',
    });
    const statusReason = `asset ${assetId} is no longer listable: ${reason}`.slice(0, 500);
    const events: LedgerEvent[] = [];
    for (const listing of listings) {
      const moved = await em.nativeUpdate(
        Listing,
        { id: listing.id, status: 'published' },
        { status: 'suspended', statusReason, updatedAt: this.clock.now() },
      );
      if (moved === 0) continue;
      await this.index.remove(em, listing.id);
      events.push({
        actor: SYSTEM_ACTOR,
        action: 'listing.suspended',
        subjectIds: [listing.id, assetId],
        payload: { from: 'published', to: 'suspended', reason: statusReason, assetId },
      });
    }
    await this.ledger.record(em, events);
  }

  /**
   * Reads the listing's assets (locked against change until the transaction ends) and applies every rule: each is
   * visible to the merchant (else 404), registered, operated by it (DE 35); the listing's shape (DS 29, 58, 59,
   * DE 31), its important data reviewed (DS 26), its price (DE 41) and its recipes. `offer` null checks the assets
   * alone.
   */
  private async assess(
    em: EntityManager,
    merchantId: string,
    assetIds: readonly string[],
    offer: Omit<NewListing, 'assetIds' | 'title' | 'description'> | null,
    creating: boolean,
  ): Promise<Assessment> {
    const found = await this.assets.listable(em, [...assetIds]);
    const assets = assetIds.map((assetId) => {
      const asset = found.find((a) => a.id === assetId);
      if (!asset || (creating && !seesAsset(asset, merchantId))) throw new NotFound(`asset ${assetId}`);
      return asset;
    });
    for (const asset of assets) {
      if (asset.status !== 'registered') {
        throw new Conflict(
          `asset ${asset.id} is ${asset.status}; only registered assets are listed`,
          'asset_not_registered',
        );
      }
      if (!asset.holders.operation.includes(merchantId)) {
        throw new RuleRefused(
          'DE 35',
          'operation_right_required',
          `listing asset ${asset.id} needs its 经营权 (operation right), which this merchant does not hold`,
        );
      }
    }
    const listed = assets.map((a) => ({
      level: a.level,
      openAttribute: a.openAttribute,
      dataKind: a.dataKind,
    }));
    const { level, openAttribute } = combinedProtection(listed);
    const dataKinds = [...new Set(assets.map((a) => a.dataKind))];
    let band: PricingBand | null = null;
    if (offer) {
      enforce(
        checkListingShape({
          assets: listed,
          delivery: offer.delivery,
          recipeCount: offer.recipes.length,
          minRows: offer.minRows,
        }),
      );
      if (offer.pricing.mode === 'guided' && offer.pricing.category !== null) {
        band = await PricingBandService.current(em, offer.pricing.category);
      }
      enforce(
        checkPrice({
          mode: offer.pricing.mode,
          priceFen: offer.pricing.priceFen,
          dataKinds,
          band: band && {
            category: band.category,
            minFen: band.minFen,
            maxFen: band.maxFen,
            publicResourceFeeBasisPoints: band.publicResourceFeeBasisPoints,
          },
        }),
      );
      assertRecipes(
        offer.recipes,
        assets.flatMap((a) => a.columns),
      );
    }
    if (allowance(level, openAttribute).securityReviewBeforeListing.required) {
      // DS 26: important data is listed only with the operator's security review of the asset's facts as they are
      // now; the assets lib keeps those reviews bound to a hash of the facts and checks them the same way at its
      // own approval, so a change of the asset since then needs a new review.
      for (const asset of assets.filter((a) => a.level !== 'general')) {
        const entity = await em.findOneOrFail(Asset, { id: asset.id });
        await this.reviews.requireSecurityReview(em, entity, inputOf(entity), asset.level);
      }
    }
    return { level, openAttribute, dataKinds, industry: assets[0].industry, band };
  }

  /** Shape rules the edge cannot express per field: recipes go with compute delivery, a period with subscriptions. */
  private static checkInput(input: NewListing): void {
    const fail = (message: string, code = 'validation_failed'): never => {
      throw new ValidationFailed(message, code);
    };
    if (new Set(input.assetIds).size !== input.assetIds.length) fail('assetIds names an asset twice');
    if (new Set(input.billingUnits).size !== input.billingUnits.length)
      fail('billingUnits names a unit twice');
    if ((input.pricing.mode === 'guided') !== (input.pricing.category !== null)) {
      fail('pricing.category is given exactly for guided pricing (the regulator’s band is per category)');
    }
    if (input.billingUnits.includes('subscription') !== (input.subscriptionDays !== null)) {
      fail('subscriptionDays is given exactly when billingUnits offers a subscription');
    }
    if (input.delivery === 'file' && (input.recipes.length > 0 || input.minRows !== null)) {
      fail('a file listing names no recipes and no minRows: those are for compute delivery');
    }
    const budget = input.epsilonBudgetMilli ?? null;
    const perRelease = input.epsilonPerReleaseMilli ?? null;
    if (input.delivery === 'file' && (budget !== null || perRelease !== null)) {
      fail('a file listing sets no epsilonBudget or epsilonPerRelease: those are for compute delivery');
    }
    for (const [name, milli] of [
      ['epsilonBudget', budget],
      ['epsilonPerRelease', perRelease],
    ] as const) {
      if (milli !== null && (!Number.isSafeInteger(milli) || milli < 1 || milli > 1_000_000))
        fail(`${name} is from 0.001 to 1000`);
    }
    if (budget !== null && perRelease !== null && perRelease > budget) {
      fail('epsilonPerRelease is at most epsilonBudget: a contract must afford one release');
    }
  }

  private static inputOf(listing: Listing, assetIds: string[]): NewListing {
    return {
      assetIds,
      title: listing.title,
      description: listing.description,
      pricing: {
        mode: listing.pricingMode,
        priceFen: listing.priceFen,
        category: listing.pricingCategory ?? null,
      },
      billingUnits: listing.billingUnits,
      subscriptionDays: listing.subscriptionDays ?? null,
      delivery: listing.delivery,
      recipes: listing.recipes,
      minRows: listing.minRows ?? null,
      epsilonBudgetMilli: listing.epsilonBudgetMilli ?? null,
      epsilonPerReleaseMilli: listing.epsilonPerReleaseMilli ?? null,
    };
  }

  /** The listing's status under a row lock held to the end of the transaction (SQLite serialises writers anyway). */
  private static async lockedStatus(em: EntityManager, id: string): Promise<ListingStatus> {
    const sqlite = sqlKindOf(em) === 'sqlite';
    const listing = await em.findOneOrFail(
      Listing,
      { id },
      { refresh: true, ...(sqlite ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE }) },
    );
    return listing.status;
  }

  private static async assetIdsOf(em: EntityManager, listingId: string): Promise<string[]> {
    const links = await em.find(ListingAsset, { listingId }, { orderBy: { position: 'asc' } });
    return links.map((k) => k.assetId);
  }

  private static async bandOf(em: EntityManager, listing: Listing): Promise<PricingBand | null> {
    return listing.pricingBandId ? em.findOne(PricingBand, { id: listing.pricingBandId }) : null;
  }

  /** Into the catalogue on entering `published`, out of it on leaving; the same transaction as the step. */
  private async followInCatalogue(em: EntityManager, listing: Listing, from: ListingStatus): Promise<void> {
    const change = catalogueChange(from, listing.status);
    if (change === 'remove') await this.index.remove(em, listing.id);
    if (change !== 'add') return;
    const { level } = listing;
    if (level === 'core') throw new RuleRefused('DS 59', 'core_not_listable', 'core data is never listed');
    const merchant = await em.findOneOrFail(Organisation, { id: listing.organisationId });
    const entry: CatalogEntry = {
      listingId: listing.id,
      organisationId: listing.organisationId,
      merchantName: merchant.name,
      title: listing.title,
      description: listing.description,
      industry: listing.industry,
      level,
      pricingMode: listing.pricingMode,
      priceFen: listing.priceFen,
      pricingCategory: listing.pricingCategory ?? null,
      billingUnits: listing.billingUnits,
      delivery: listing.delivery,
      recipes: listing.recipes.map((r) => r.recipe),
      minRows: listing.minRows ?? null,
      publishedAt: listing.publishedAt ?? this.clock.now(),
    };
    await this.index.publish(em, entry);
  }
}
