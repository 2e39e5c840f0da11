import type { EntityManager } from '@mikro-orm/sql';
import type { Asset } from '@app/assets';
import { RiskReport } from '../entities/risk-report.entity.js';

/** What an organisation's catalogue holds, as far as its report schedule goes. */
export interface Holding {
  /** When its earliest catalogued asset was registered: the yearly duty (DS 63) runs from then. */
  firstHeldAt: Date;
  importantAssets: number;
  holdsCore: boolean;
}

/**
 * An organisation's holding from its DS 22 catalogue (`ImportantDataCatalogue.of` / `ofEveryOrganisation`), or null
 * when it holds none.
 */
export function holdingOf(catalogue: readonly Asset[]): Holding | null {
  return catalogue.reduce<Holding | null>((holding, asset) => add(holding ?? undefined, asset), null);
}

function add(
  holding: Holding | undefined,
  asset: Pick<Asset, 'level' | 'registeredAt' | 'createdAt'>,
): Holding {
  const heldAt = asset.registeredAt ?? asset.createdAt;
  const core = asset.level === 'core';
  if (!holding) return { firstHeldAt: heldAt, importantAssets: 1, holdsCore: core };
  return {
    firstHeldAt: heldAt < holding.firstHeldAt ? heldAt : holding.firstHeldAt,
    importantAssets: holding.importantAssets + 1,
    holdsCore: holding.holdsCore || core,
  };
}

/** When each organisation that ever filed a report last filed one, in one statement. */
export async function lastFiledByOrganisation(em: EntityManager): Promise<Map<string, Date>> {
  const rows = await em
    .getConnection()
    .execute<{ organisation_id: string; last_filed_at: string | number | Date }[]>(
      'select "organisation_id", max("filed_at") as "last_filed_at" from "risk_reports" group by "organisation_id"',
    );
  // SQLite hands back the stored form of a datetime, PostgreSQL a Date: both make the same Date.
  return new Map(rows.map((r) => [r.organisation_id, new Date(r.last_filed_at)]));
}

/** When `organisationId` last filed a report, or null. */
export async function lastFiledOf(em: EntityManager, organisationId: string): Promise<Date | null> {
  const last = await em.findOne(
    RiskReport,
    { organisationId },
    { orderBy: { filedAt: 'desc', id: 'desc' }, fields: ['id', 'filedAt'] },
  );
  return last?.filedAt ?? null;
}
