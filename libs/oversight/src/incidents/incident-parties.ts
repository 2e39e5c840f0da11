import type { EntityManager } from '@mikro-orm/sql';
import { Asset } from '@app/assets';
import { ListingAsset } from '@app/catalog';
import { NotFound } from '@app/core';
import { isOverseer, type Principal } from '@app/identity';
import { Contract } from '@app/trading';

/** An organisation DS 16 says is told of the incident, with the contracts that made it an affected party. */
export interface AffectedParty {
  organisationId: string;
  contractIds: string[];
}

/**
 * The affected assets, each visible to the reporter: its own (registrant or a rights holder), over one of its
 * contracts, or any for the operator. One that does not exist or is not the reporter's to name is 404 (whether
 * another party's asset exists is not disclosed).
 */
export async function affectedAssets(
  em: EntityManager,
  principal: Principal,
  ids: string[],
): Promise<Asset[]> {
  if (ids.length === 0) return [];
  const assets = await em.find(Asset, { id: { $in: ids } });
  const org = principal.organisationId;
  const own = (a: Asset) => a.registrantId === org || a.rights.some((r) => r.organisationId === org);
  const unowned = isOverseer(principal) ? [] : assets.filter((a) => !own(a)).map((a) => a.id);
  const viaContract = new Set(unowned.length === 0 ? [] : await assetsUnderContractsOf(em, unowned, org));
  const missing = ids.find(
    (id) => !assets.some((a) => a.id === id) || (unowned.includes(id) && !viaContract.has(id)),
  );
  if (missing !== undefined) throw new NotFound(`asset ${missing}`, 'asset_not_found');
  return assets;
}

/** Of `assetIds`, those in a listing that `organisationId` holds a contract over (as buyer or merchant). */
async function assetsUnderContractsOf(
  em: EntityManager,
  assetIds: string[],
  organisationId: string,
): Promise<string[]> {
  const links = await em.find(ListingAsset, { assetId: { $in: assetIds } });
  if (links.length === 0) return [];
  const contracts = await em.find(
    Contract,
    {
      listingId: { $in: [...new Set(links.map((l) => l.listingId))] },
      $or: [{ buyerOrganisationId: organisationId }, { merchantOrganisationId: organisationId }],
    },
    { fields: ['id', 'listingId'] },
  );
  const listings = new Set(contracts.map((c) => c.listingId));
  return links.filter((l) => listings.has(l.listingId)).map((l) => l.assetId);
}

/**
 * DS 16 (告知用户): who is told of an incident over `assets` that occurred at `occurredAt`: both parties to every
 * contract over a listing built from an affected asset — contracts not ended, or ended after the incident occurred
 * (its data may have been in use then) — and every holder of a right in an affected asset, except `reporterId`.
 * Sorted by organisation id, so the notices and the ledger entry are the same for the same facts.
 */
export async function affectedParties(
  em: EntityManager,
  assets: readonly Asset[],
  occurredAt: Date,
  reporterId: string,
): Promise<AffectedParty[]> {
  const parties = new Map<string, Set<string>>();
  const party = (id: string) => parties.get(id) ?? parties.set(id, new Set()).get(id)!;
  for (const asset of assets) for (const holding of asset.rights) party(holding.organisationId);
  const links =
    assets.length === 0 ? [] : await em.find(ListingAsset, { assetId: { $in: assets.map((a) => a.id) } });
  if (links.length > 0) {
    const contracts = await em.find(
      Contract,
      {
        listingId: { $in: [...new Set(links.map((l) => l.listingId))] },
        $or: [{ state: { $ne: 'ended' } }, { endedAt: { $gt: occurredAt } }],
      },
      { fields: ['id', 'buyerOrganisationId', 'merchantOrganisationId'] },
    );
    for (const c of contracts) {
      party(c.buyerOrganisationId).add(c.id);
      party(c.merchantOrganisationId).add(c.id);
    }
  }
  parties.delete(reporterId);
  return [...parties.entries()]
    .map(([organisationId, contracts]) => ({ organisationId, contractIds: [...contracts].sort() }))
    .sort((a, b) => (a.organisationId < b.organisationId ? -1 : 1));
}
