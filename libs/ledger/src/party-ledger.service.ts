import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { inclusionProofs } from './core/inclusion-proof.js';
import type { SignedTreeHead } from './core/tree-head.js';
import { LedgerStore, type StoredEntry } from './ledger-store.js';
import { TreeHeadService } from './tree-head.service.js';

/** A party's page of the ledger: entries the head covers, each with its RFC 9162 inclusion path against that head. */
export interface PartyPage {
  head: SignedTreeHead;
  entries: readonly { entry: StoredEntry; inclusionPath: readonly Uint8Array[] }[];
}

/** Pages kept per process. A page of 100 entries is some 100 KB; most are a few KB. */
const CACHED_PAGES = 256;

/**
 * What a party may read of the ledger with proofs (`GET /v1/ledger/mine`). A page is a pure function of the
 * organisation, the paging and the head's size: entries, subjects and Merkle nodes below a signed head's size are
 * committed and never change (append-only tables), so a page computed once for a head is kept and served again
 * until a newer head replaces it. A page costs at most two statements: the search and one read of every node its
 * proofs need.
 */
@Injectable()
export class PartyLedgerService {
  private readonly pages = new Map<string, Promise<PartyPage>>();

  constructor(
    private readonly store: LedgerStore,
    private readonly heads: TreeHeadService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Entries done by or concerning `organisationId`, after leaf index `after`, at most `limit`, in leaf order, all
   * covered by the returned head (`TreeHeadService.recent`), each with its inclusion path in that head's tree.
   */
  async page(organisationId: string, after: number | undefined, limit: number): Promise<PartyPage> {
    const head = await this.heads.recent();
    const key = JSON.stringify([organisationId, after ?? null, limit, head.treeSize]);
    const cached = this.pages.get(key);
    if (cached) {
      // Most recently used last, so the oldest is evicted first.
      this.pages.delete(key);
      this.pages.set(key, cached);
      return cached;
    }
    const computed = this.compute(head, organisationId, after, limit);
    this.pages.set(key, computed);
    computed.catch(() => this.pages.delete(key));
    if (this.pages.size > CACHED_PAGES) this.pages.delete(this.pages.keys().next().value!);
    return computed;
  }

  private async compute(
    head: SignedTreeHead,
    organisationId: string,
    after: number | undefined,
    limit: number,
  ): Promise<PartyPage> {
    const entries = await this.store.search({
      involvingOrganisation: organisationId,
      after,
      before: head.treeSize,
      limit,
    });
    const paths = await inclusionProofs(
      this.store.nodes(this.config.ledgerHash),
      entries.map((e) => e.leafIndex),
      head.treeSize,
    );
    return { head, entries: entries.map((entry, i) => ({ entry, inclusionPath: paths[i] })) };
  }
}
