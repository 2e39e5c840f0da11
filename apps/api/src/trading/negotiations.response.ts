import { ApiProperty } from '@nestjs/swagger';
import {
  NEGOTIATION_STATES,
  TERMINATION_REASON_CODES,
  TERMINATION_REASONS as TERMINATION_REASONS_TEXT,
  type NegotiationRecord,
  type NegotiationVersion,
} from '@app/trading';
import { TermsResponse, termsView } from './terms.dto.js';

export class TermsChangeResponse {
  @ApiProperty({ example: 'priceFen' })
  field!: string;

  @ApiProperty({ example: '150000' })
  from!: string;

  @ApiProperty({ example: '120000' })
  to!: string;

  @ApiProperty({ type: [String], required: false, description: 'lists: what was added' })
  added?: string[];

  @ApiProperty({ type: [String], required: false, description: 'lists: what was removed' })
  removed?: string[];
}

export class NegotiationVersionResponse {
  @ApiProperty()
  version!: number;

  @ApiProperty({ enum: ['buyer', 'merchant'], description: 'who made it (making it is accepting it)' })
  side!: string;

  @ApiProperty({ format: 'uuid' })
  authorOrganisationId!: string;

  @ApiProperty({ type: TermsResponse })
  terms!: TermsResponse;

  @ApiProperty({ description: '0x + 64 hex: SHA-256 of the RFC 8785 canonical terms' })
  termsHash!: string;

  @ApiProperty({ type: [TermsChangeResponse], description: 'what changed against the version before' })
  changes!: TermsChangeResponse[];

  @ApiProperty({ format: 'date-time', description: 'unanswered by then, the negotiation ends' })
  expiresAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class NegotiationTerminationResponse {
  @ApiProperty({ enum: TERMINATION_REASON_CODES })
  reason!: string;

  @ApiProperty({ description: 'the reason in words' })
  description!: string;

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;

  @ApiProperty({ enum: ['buyer', 'merchant', 'operator', 'platform'] })
  by!: string;
}

/** A negotiation; `versions` holds every version on GET by id, the latest in lists. */
export class NegotiationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: NEGOTIATION_STATES,
    description:
      'the Dataspace Protocol state: requested, offered, accepted, agreed, verified, finalized, terminated',
  })
  state!: string;

  @ApiProperty({ description: 'the latest version' })
  version!: number;

  @ApiProperty({ description: 'the latest version’s terms hash' })
  termsHash!: string;

  @ApiProperty({ type: TermsResponse, description: 'the latest version’s terms' })
  terms!: TermsResponse;

  @ApiProperty({ enum: ['buyer', 'merchant'], description: 'who made the latest version' })
  latestSide!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the latest open offer lapses',
  })
  expiresAt!: string | null;

  @ApiProperty({ format: 'uuid' })
  listingId!: string;

  @ApiProperty({ format: 'uuid' })
  buyerOrganisationId!: string;

  @ApiProperty({ format: 'uuid' })
  merchantOrganisationId!: string;

  @ApiProperty({
    example: '海东市某某交通科技有限公司',
    description: 'the buyer organisation’s registered name',
  })
  buyerOrganisationName!: string;

  @ApiProperty({
    example: '海东市某某数据服务有限公司',
    description: 'the merchant organisation’s registered name',
  })
  merchantOrganisationName!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'the version both sides accepted' })
  agreedVersion!: number | null;

  @ApiProperty({
    enum: ['not_required', 'pending', 'approved', 'refused'],
    description: 'conditional free use: the operator’s approval of the purpose (DE 41)',
  })
  purposeApproval!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the contract, once formed' })
  contractId!: string | null;

  @ApiProperty({
    type: NegotiationTerminationResponse,
    nullable: true,
    description: 'why and by whom it ended, once terminated',
  })
  termination!: NegotiationTerminationResponse | null;

  @ApiProperty({ type: [NegotiationVersionResponse] })
  versions!: NegotiationVersionResponse[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class NegotiationPageResponse {
  @ApiProperty({ type: [NegotiationResponse] })
  items!: NegotiationResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `after` for the next page; null at the end',
  })
  next!: string | null;
}

const versionView = (v: NegotiationVersion): NegotiationVersionResponse => ({
  version: v.version,
  side: v.side,
  authorOrganisationId: v.authorOrganisationId,
  terms: termsView(v.terms),
  termsHash: v.termsHash,
  changes: v.changes.map((c) => ({ ...c })),
  expiresAt: v.expiresAt.toISOString(),
  createdAt: v.createdAt.toISOString(),
});

/** A negotiation as the API shows it; `names` holds its parties' organisation names (TradeViews loads them). */
export function negotiationView(
  { negotiation: n, versions }: NegotiationRecord,
  names: ReadonlyMap<string, string>,
): NegotiationResponse {
  const latest = versions.find((v) => v.version === n.version) ?? versions[versions.length - 1];
  return {
    id: n.id,
    state: n.state,
    version: n.version,
    termsHash: latest.termsHash,
    terms: termsView(latest.terms),
    latestSide: latest.side,
    expiresAt: n.offerExpiresAt?.toISOString() ?? null,
    listingId: n.listingId,
    buyerOrganisationId: n.buyerOrganisationId,
    merchantOrganisationId: n.merchantOrganisationId,
    buyerOrganisationName: names.get(n.buyerOrganisationId) ?? '',
    merchantOrganisationName: names.get(n.merchantOrganisationId) ?? '',
    agreedVersion: n.agreedVersion ?? null,
    purposeApproval: n.purposeApproval,
    contractId: n.contractId ?? null,
    termination: n.terminationReason
      ? {
          reason: n.terminationReason,
          description:
            TERMINATION_REASONS_TEXT[n.terminationReason as keyof typeof TERMINATION_REASONS_TEXT] ??
            n.terminationReason,
          detail: n.terminationDetail ?? null,
          by: n.terminatedBySide ?? 'platform',
        }
      : null,
    versions: versions.map(versionView),
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
