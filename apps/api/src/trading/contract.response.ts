import { ApiProperty } from '@nestjs/swagger';
import { milliToDecimal } from '@app/compute';
import {
  CONTRACT_END_REASONS,
  CONTRACT_STATES,
  ESCROW_STATES,
  contractTypedData,
  type Contract,
} from '@app/trading';
import { FEN_OUT, TermsResponse, termsView } from './terms.dto.js';

export class ContractClauseResponse {
  @ApiProperty({ example: 'no_onward_transfer' })
  code!: string;

  @ApiProperty({ example: 'DS 40' })
  article!: string;

  @ApiProperty()
  text!: string;
}

export class ContractShareResponse {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ description: 'share of the proceeds after fees, in basis points (DE 43)' })
  basisPoints!: number;
}

export class TypedDataFieldResponse {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  type!: string;
}

export class TypedDataDomainResponse {
  @ApiProperty({ example: 'DataExchangeContract' })
  name!: string;

  @ApiProperty({ example: '1' })
  version!: string;
}

export class ContractTypedDataResponse {
  @ApiProperty({ type: TypedDataDomainResponse })
  domain!: TypedDataDomainResponse;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/TypedDataFieldResponse' } },
    description:
      'the EIP-712 types (EIP712Domain implied by domain, as ethers and eth_signTypedData_v4 take it)',
  })
  types!: Record<string, TypedDataFieldResponse[]>;

  @ApiProperty({ example: 'DataContract' })
  primaryType!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the values both parties sign' })
  message!: Record<string, unknown>;
}

export class ContractSignatureResponse {
  @ApiProperty({ description: 'checksummed address that signed' })
  signer!: string;

  @ApiProperty({ description: '0x + 130 hex: the 65-byte EIP-712 signature' })
  signature!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  signedAt!: string | null;
}

export class ContractSignaturesResponse {
  @ApiProperty({ type: ContractSignatureResponse, nullable: true })
  buyer!: ContractSignatureResponse | null;

  @ApiProperty({ type: ContractSignatureResponse, nullable: true })
  merchant!: ContractSignatureResponse | null;

  @ApiProperty({
    type: ContractSignatureResponse,
    nullable: true,
    description: 'the exchange’s countersignature, made once both parties signed',
  })
  platform!: ContractSignatureResponse | null;
}

/** A contract as its parties and the overseers see it (DS 58: data, content, purpose, method, period). */
export class ContractResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CONTRACT_STATES })
  state!: string;

  @ApiProperty({ enum: ESCROW_STATES, description: 'what became of the buyer’s money' })
  escrow!: string;

  @ApiProperty({ format: 'uuid' })
  negotiationId!: string;

  @ApiProperty({ description: 'the negotiation version both sides accepted' })
  version!: number;

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

  @ApiProperty({ enum: ['general', 'important'] })
  level!: string;

  @ApiProperty({ type: TermsResponse })
  terms!: TermsResponse;

  @ApiProperty({ description: '0x + 64 hex: SHA-256 of the RFC 8785 canonical terms' })
  termsHash!: string;

  @ApiProperty({ type: [ContractClauseResponse] })
  clauses!: ContractClauseResponse[];

  @ApiProperty({ ...FEN_OUT, description: 'whole fen the buyer pays in all' })
  amountFen!: string;

  @ApiProperty()
  platformFeeBasisPoints!: number;

  @ApiProperty({ description: 'public data: the public-resource fee to public finance (DE 36)' })
  publicResourceFeeBasisPoints!: number;

  @ApiProperty({ type: [ContractShareResponse], description: 'the rights holders’ shares (DE 43)' })
  shares!: ContractShareResponse[];

  @ApiProperty({ type: ContractTypedDataResponse })
  typedData!: ContractTypedDataResponse;

  @ApiProperty({ type: ContractSignaturesResponse })
  signatures!: ContractSignaturesResponse;

  @ApiProperty({ description: 'per-computation: results released so far' })
  computationsUsed!: number;

  @ApiProperty({
    example: '10.000',
    description:
      "compute: the contract's differential-privacy budget ε, fixed when it formed (decimal, 3 places)",
  })
  epsilonBudget!: string;

  @ApiProperty({ example: '2.000', description: 'compute: the ε its released computations spent so far' })
  epsilonSpent!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  fundedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'access ends then' })
  endsAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'the escrow is released then unless the buyer confirms delivery or disputes sooner',
  })
  deliveryDueAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ enum: CONTRACT_END_REASONS, nullable: true })
  endReason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  endDetail!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the operator or a regulator suspended it (DS 58); null unless suspended',
  })
  suspensionReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

const signature = (
  signer: string | null | undefined,
  sig: string | null | undefined,
  at: Date | null | undefined,
) => (signer && sig ? { signer, signature: sig, signedAt: iso(at) } : null);

/** A contract as the API shows it; `names` holds its parties' organisation names (TradeViews loads them). */
export function contractView(c: Contract, names: ReadonlyMap<string, string>): ContractResponse {
  return {
    id: c.id,
    state: c.state,
    escrow: c.escrow,
    negotiationId: c.negotiationId,
    version: c.version,
    listingId: c.listingId,
    buyerOrganisationId: c.buyerOrganisationId,
    merchantOrganisationId: c.merchantOrganisationId,
    buyerOrganisationName: names.get(c.buyerOrganisationId) ?? '',
    merchantOrganisationName: names.get(c.merchantOrganisationId) ?? '',
    level: c.level,
    terms: termsView(c.terms),
    termsHash: c.termsHash,
    clauses: c.clauses.map((k) => ({ ...k })),
    amountFen: c.amountFen.toString(),
    platformFeeBasisPoints: c.platformFeeBasisPoints,
    publicResourceFeeBasisPoints: c.publicResourceFeeBasisPoints,
    shares: c.shares.map((s) => ({ ...s })),
    typedData: contractTypedData(c),
    signatures: {
      buyer: signature(c.buyerSigner, c.buyerSignature, c.buyerSignedAt),
      merchant: signature(c.merchantSigner, c.merchantSignature, c.merchantSignedAt),
      platform: signature(c.platformSigner, c.platformSignature, c.countersignedAt),
    },
    computationsUsed: c.computationsUsed,
    epsilonBudget: milliToDecimal(c.epsilonBudgetMilli),
    epsilonSpent: milliToDecimal(c.epsilonSpentMilli),
    fundedAt: iso(c.fundedAt),
    endsAt: iso(c.endsAt),
    deliveryDueAt: iso(c.deliveryDueAt),
    deliveredAt: iso(c.deliveredAt),
    endedAt: iso(c.endedAt),
    endReason: c.endReason ?? null,
    suspensionReason: c.suspensionReason ?? null,
    endDetail: c.endDetail ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
