import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { APP_CONFIG, ValidationFailed, type AppConfig } from '@app/core';
import { actorOf, type Principal } from '@app/identity';
import {
  AnchoringService,
  LedgerAccessLog,
  LedgerAuditService,
  LedgerStore,
  PartyLedgerService,
  type PartyPage,
  TreeHeadService,
} from '@app/ledger';
import { consistencyProof, inclusionProof, treeHeadSigningDescription } from '@app/ledger/core';
import { Public, Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { LedgerKeyResponse } from './ledger-key.response.js';
import { base64Path, entryView, treeHeadView, verificationView } from './ledger-views.js';
import {
  ConsistencyProofResponse,
  InclusionProofResponse,
  LedgerEntryListResponse,
  LedgerSearchResponse,
  LedgerVerificationResponse,
  MyLedgerEntriesResponse,
  SignedTreeHeadResponse,
} from './ledger.response.js';
import {
  ConsistencyQueryDto,
  EntryRangeDto,
  EntrySearchDto,
  ExportQueryDto,
  InclusionQueryDto,
  MAX_PAGE,
  LeafPageQueryDto,
  TreeSizeParamDto,
} from './ledger-query.dto.js';

/** The audit API in RFC 9162 terms; regulators' own tools are written against these routes and fields. */
/**
 * The JSON answer for a page, made once per page the ledger service keeps: decoding entries, encoding proofs and
 * serialising them are most of a repeated `mine` request's cost, and a kept page never changes (it lies below a
 * signed head).
 */
const pageBodies = new WeakMap<PartyPage, string>();

@ApiTags('ledger')
@Controller('v1/ledger')
export class LedgerController {
  constructor(
    private readonly store: LedgerStore,
    private readonly heads: TreeHeadService,
    private readonly audit: LedgerAuditService,
    private readonly accessLog: LedgerAccessLog,
    private readonly anchoring: AnchoringService,
    private readonly party: PartyLedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('key')
  @Public()
  @ApiOperation({
    summary:
      'The address that signs tree heads, how heads are signed (EIP-712), and the contract they are anchored in',
  })
  @ApiOkResponse({ type: LedgerKeyResponse })
  async key(): Promise<LedgerKeyResponse> {
    return {
      ...treeHeadSigningDescription(this.heads.signerAddress),
      hashAlgorithm: this.config.ledgerHash,
      anchoring: await this.anchoring.target(),
    };
  }

  @Get('sth')
  @Roles('regulator', 'operator', 'merchant', 'buyer')
  @ApiOperation({ summary: 'The newest signed tree head' })
  @ApiOkResponse({ type: SignedTreeHeadResponse })
  async sth(): Promise<SignedTreeHeadResponse> {
    return treeHeadView(await this.heads.current());
  }

  @Get('sth/:treeSize')
  @Roles('regulator', 'operator', 'merchant', 'buyer')
  @ApiOperation({ summary: 'The signed tree head issued at that size' })
  @ApiOkResponse({ type: SignedTreeHeadResponse })
  async sthAt(@Param() params: TreeSizeParamDto): Promise<SignedTreeHeadResponse> {
    return treeHeadView(await this.heads.at(params.treeSize));
  }

  @Get('entries')
  @Roles('regulator', 'operator')
  @ApiOperation({ summary: `Entries start..end inclusive, at most ${MAX_PAGE}` })
  @ApiOkResponse({ type: LedgerEntryListResponse })
  async entries(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EntryRangeDto,
  ): Promise<LedgerEntryListResponse> {
    if (query.end < query.start) throw new ValidationFailed('end must not be before start');
    if (query.end - query.start + 1 > MAX_PAGE)
      throw new ValidationFailed(`at most ${MAX_PAGE} entries a page`);
    const size = await this.store.size();
    if (query.start >= size) throw new ValidationFailed(`start must be below the tree size ${size}`);
    await this.accessLog.record(actorOf(principal), 'ledger.read', {
      route: 'entries',
      start: query.start,
      end: query.end,
    });
    const entries = await this.store.range(query.start, Math.min(query.end + 1, size));
    return { entries: entries.map(entryView) };
  }

  @Get('proof/inclusion')
  @Roles('regulator', 'operator', 'merchant', 'buyer')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of a leaf in the tree of that size' })
  @ApiOkResponse({ type: InclusionProofResponse })
  async inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofResponse> {
    await this.ensureWithinTree(query.treeSize);
    if (query.leafIndex >= query.treeSize) throw new ValidationFailed('leafIndex must be below treeSize');
    const path = await inclusionProof(
      this.store.nodes(this.config.ledgerHash),
      query.leafIndex,
      query.treeSize,
    );
    return { leafIndex: query.leafIndex, treeSize: query.treeSize, inclusionPath: base64Path(path) };
  }

  @Get('proof/consistency')
  @Roles('regulator', 'operator', 'merchant', 'buyer')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between two tree sizes' })
  @ApiOkResponse({ type: ConsistencyProofResponse })
  async consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofResponse> {
    if (query.first > query.second) throw new ValidationFailed('first must not exceed second');
    await this.ensureWithinTree(query.second);
    const path = await consistencyProof(this.store.nodes(this.config.ledgerHash), query.first, query.second);
    return { first: query.first, second: query.second, consistencyPath: base64Path(path) };
  }

  @Get('search')
  @Roles('regulator', 'operator')
  @ApiOperation({ summary: 'Entries by subject, actor, action and time, in leaf order, paged by `after`' })
  @ApiOkResponse({ type: LedgerSearchResponse })
  async search(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EntrySearchDto,
  ): Promise<LedgerSearchResponse> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    const criteria = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number
    >;
    await this.accessLog.record(actorOf(principal), 'ledger.read', {
      route: 'search',
      ...criteria,
    });
    const entries = await this.store.search({
      subjectId: query.subject,
      actorAccountId: query.actor,
      actorOrganisationId: query.actorOrganisation,
      action: query.action,
      from,
      to,
      after: query.after,
      limit: query.limit ?? 100,
    });
    return {
      entries: entries.map(entryView),
      next: entries.length ? entries[entries.length - 1].leafIndex : null,
    };
  }

  @Get('mine')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      "The caller's own entries (done by or concerning its organisation), each with its inclusion proof",
  })
  @ApiOkResponse({ type: MyLedgerEntriesResponse })
  async mine(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LeafPageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    // A recent head (at most ~2 s behind, see TreeHeadService.recent) spares a read route a signature per append;
    // the page holds only entries it covers, all their proofs come from one read of the nodes they need.
    const page = await this.party.page(principal.organisationId, query.after, query.limit ?? 100);
    let body = pageBodies.get(page);
    if (body === undefined) {
      const view: MyLedgerEntriesResponse = {
        treeHead: treeHeadView(page.head),
        entries: page.entries.map(({ entry, inclusionPath }) => ({
          ...entryView(entry),
          inclusionPath: base64Path(inclusionPath),
        })),
        next: page.entries.length ? page.entries[page.entries.length - 1].entry.leafIndex : null,
      };
      body = JSON.stringify(view);
      pageBodies.set(page, body);
    }
    void reply.type('application/json; charset=utf-8');
    return body;
  }

  @Get('verify')
  @Roles('regulator', 'operator')
  @ApiOperation({ summary: 'Re-check every stored entry, leaf and head; names the first that is wrong' })
  @ApiOkResponse({ type: LedgerVerificationResponse })
  async verify(@CurrentPrincipal() principal: Principal): Promise<LedgerVerificationResponse> {
    const result = await this.audit.verify();
    await this.accessLog.record(actorOf(principal), 'ledger.verified', {
      ok: result.ok,
      entries: result.entries,
    });
    return verificationView(result);
  }

  @Get('export')
  @Roles('regulator', 'operator')
  @ApiOperation({
    summary: 'The whole ledger with every signed head, as NDJSON for `exchange ledger verify`',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description:
      'NDJSON: a header line, every entry in leaf order, then every signed head (see `exchange ledger verify`)',
    schema: { type: 'string', description: 'one JSON object per line' },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() _query: ExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    await this.accessLog.record(actorOf(principal), 'ledger.exported', { format: 'ndjson' });
    const head = await this.heads.current();
    void reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="ledger-${head.treeSize}.ndjson"`)
      .send(Readable.from(this.audit.exportText(head)));
  }

  private async ensureWithinTree(treeSize: number): Promise<void> {
    const size = await this.store.size();
    if (treeSize > size)
      throw new ValidationFailed(`tree size ${treeSize} is beyond the ledger's size ${size}`);
  }
}
