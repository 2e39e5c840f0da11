import { Injectable } from '@nestjs/common';
import { sqlKindOf } from '@app/database';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { DataKind, DataLevel, OpenAttribute } from '@app/compliance';
import { holdersByRight } from './core/asset-facts.js';
import { Asset, type AssetStatus } from './entities/asset.entity.js';

/** An asset as listings see it (interface 1 of the brief). */
export interface ListableAsset {
  id: string;
  registrantId: string;
  title: string;
  industry: string;
  dataKind: DataKind;
  level: DataLevel;
  openAttribute: OpenAttribute;
  status: AssetStatus;
  registrationNumber: string | null;
  columns: {
    name: string;
    type: string;
    unit: string | null;
    personalInformation: boolean;
    tradeSecret: boolean;
    public: boolean;
  }[];
  rowCount: number;
  /** Organisation ids per right (DE 35). */
  holders: { holding: string[]; processing: string[]; operation: string[] };
}

@Injectable()
export class AssetReader {
  /**
   * The assets among `assetIds` that exist, in any order, read inside the caller's transaction and locked against
   * concurrent change until it ends (PostgreSQL `FOR SHARE`; SQLite serialises writers anyway). Precondition: `em`
   * is inside a transaction.
   */
  async listable(em: EntityManager, assetIds: string[]): Promise<ListableAsset[]> {
    if (assetIds.length === 0) return [];
    const rows = await em.find(
      Asset,
      { id: { $in: [...new Set(assetIds)] } },
      {
        ...(sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_READ }),
        refresh: true,
      },
    );
    return rows.map((a) => ({
      id: a.id,
      registrantId: a.registrantId,
      title: a.title,
      industry: a.industry,
      dataKind: a.dataKind,
      level: a.level,
      openAttribute: a.openAttribute,
      status: a.status,
      registrationNumber: a.registrationNumber ?? null,
      columns: a.columns.map((c) => ({ ...c, unit: c.unit ?? null })),
      rowCount: a.rowCount,
      holders: holdersByRight(a.rights),
    }));
  }
}
