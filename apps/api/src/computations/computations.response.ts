import { ApiProperty } from '@nestjs/swagger';
import { COMPUTATION_STATES, type StoredEvaluation } from '@app/compute/core';
import { milliToDecimal, type Computation, type EvaluationBundle } from '@app/compute';
import { ComputationFilterDto } from './computations.dto.js';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export class ComputationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ format: 'uuid' }) datasetId!: string;
  @ApiProperty({ example: 'mean' }) recipe!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) bindings!: Record<string, string | string[]>;
  @ApiProperty({ type: [ComputationFilterDto] }) filters!: ComputationFilterDto[];
  @ApiProperty({ enum: COMPUTATION_STATES }) state!: string;
  @ApiProperty({ type: String, nullable: true, description: 'why it was refused or failed' }) reason!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'a stable code of COMPUTATION_CODES' })
  reasonCode!: string | null;
  @ApiProperty({ type: 'integer', description: 'rows the filters selected' }) rowsAggregated!: number;
  @ApiProperty({ type: String, nullable: true, example: '1.000', description: 'ε the release spent' })
  epsilonSpent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the sealed result envelope' })
  resultHash!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the sandbox's hash over its output ciphertexts",
  })
  outputHash!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) repeatOf!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'the contract unit this release paid' })
  meteredUnit!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) evaluatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
}

export function computationView(c: Computation): ComputationDto {
  return {
    id: c.id,
    contractId: c.contractId,
    datasetId: c.datasetId,
    recipe: c.recipe,
    bindings: c.bindings,
    filters: c.filters as ComputationFilterDto[],
    state: c.state,
    reason: c.reason ?? null,
    reasonCode: c.reasonCode ?? null,
    rowsAggregated: c.rowsAggregated,
    epsilonSpent: c.epsilonSpentMilli == null ? null : milliToDecimal(c.epsilonSpentMilli),
    resultHash: c.resultSha256 ?? null,
    outputHash: c.outputSha256 ?? null,
    repeatOf: c.repeatOf ?? null,
    meteredUnit: c.meteredUnit ?? null,
    queuedAt: c.queuedAt.toISOString(),
    startedAt: iso(c.startedAt),
    evaluatedAt: iso(c.evaluatedAt),
    finishedAt: iso(c.finishedAt),
  };
}

export class ComputationPageDto {
  @ApiProperty({ type: [ComputationDto] }) items!: ComputationDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page' }) next!: string | null;
}

class HistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) computationId!: string;
  @ApiProperty() queryKey!: string;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer' } } }) rowSet!: number[][];
  @ApiProperty({ type: 'integer' }) epsilonMilli!: number;
}

class PolicyDto {
  @ApiProperty({ type: 'integer' }) minRows!: number;
  @ApiProperty({ type: 'integer' }) epsilonMilli!: number;
  @ApiProperty({ type: 'integer' }) budgetMilli!: number;
  @ApiProperty({ type: 'integer' }) spentMilli!: number;
  @ApiProperty({ type: [HistoryEntryDto] }) history!: HistoryEntryDto[];
}

class BundleContractDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() termsHash!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) terms!: object;
  @ApiProperty({ format: 'uuid' }) buyerOrganisationId!: string;
  @ApiProperty({ format: 'uuid' }) merchantOrganisationId!: string;
  @ApiProperty({ type: String, nullable: true }) merchantSigner!: string | null;
  @ApiProperty({ type: String, nullable: true }) merchantSignature!: string | null;
}

class ResultKeyRefDto {
  @ApiProperty() publicKey!: string;
  @ApiProperty() keyId!: string;
}

export class EvaluationBundleDto {
  @ApiProperty({ type: ComputationDto }) computation!: ComputationDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'StoredEvaluation (exchange-evaluation/1)',
  })
  evaluation!: StoredEvaluation;
  @ApiProperty({ type: 'integer' }) rows!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) specs!: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) bindings!: Record<string, string | string[]>;
  @ApiProperty({ nullable: true, description: 'the parameters as submitted (parsed JSON)' }) params!: unknown;
  @ApiProperty({ type: [ComputationFilterDto] }) filters!: ComputationFilterDto[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer' } } }) rowSet!: number[][];
  @ApiProperty() queryKey!: string;
  @ApiProperty({ type: PolicyDto }) policy!: PolicyDto;
  @ApiProperty({ type: BundleContractDto }) contract!: BundleContractDto;
  @ApiProperty({ type: ResultKeyRefDto }) buyerResultKey!: ResultKeyRefDto;
}

export const bundleView = (b: EvaluationBundle): EvaluationBundleDto => ({
  ...b,
  computation: computationView(b.computation),
  filters: b.filters as ComputationFilterDto[],
});

export class ComputationResultDto {
  @ApiProperty({ format: 'uuid' }) computationId!: string;
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty() resultHash!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the sealed ResultEnvelope' })
  envelope!: object;
}
