import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '@app/core';
import { DatasetService, type DatasetManifest } from '@app/datasets';
import type { Principal } from '@app/identity';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { AcceptsRawUpload, RAW_UPLOAD_TYPE, RawUpload } from '../http/raw-upload.js';
import { CreateDatasetDto, DatasetListQueryDto } from './datasets.dto.js';
import {
  DatasetChunkResponse,
  DatasetListResponse,
  DatasetResponse,
  chunkView,
  datasetSummary,
  datasetView,
} from './datasets.response.js';

/** The manifest as plain JSON (no DTO instances, no undefined fields): what is stored and hashed. */
function manifestOf(body: CreateDatasetDto): DatasetManifest {
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    assetId: body.assetId,
    paramSet: body.paramSet,
    rowCount: body.rowCount,
    columns: body.columns.map((c) =>
      defined({
        name: c.name,
        encrypted: c.encrypted,
        spec: c.spec
          ? defined({
              kind: c.spec.kind,
              min: c.spec.min,
              max: c.spec.max,
              decimals: c.spec.decimals,
              buckets: c.spec.buckets ? [...c.spec.buckets] : undefined,
              paramSet: c.spec.paramSet,
            })
          : undefined,
      }),
    ),
    chunks: body.chunks.map((c) =>
      defined({
        kind: c.kind,
        column: c.column,
        index: c.index,
        paramSet: c.paramSet,
        sha256: c.sha256,
        sizeBytes: c.sizeBytes,
      }),
    ),
  };
}

/** A chunk number as the path gives it: 0 to 999999, digits only. */
function chunkNumber(raw: string): number {
  if (!/^(0|[1-9]\d{0,5})$/.test(raw)) {
    throw new ValidationFailed(
      'the chunk number is a whole number from 0, as in the manifest',
      'invalid_chunk_number',
    );
  }
  return Number(raw);
}

@ApiTags('datasets')
@Controller('v1/datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetService) {}

  @Post()
  @Roles('merchant')
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Merchant holding the asset's processing or operation right: start an encrypted dataset upload (the next " +
      'version of the registered asset) with its manifest: parameter set, columns (each a registered column, ' +
      'encrypted or registered public), row count and every chunk (kind, SHA-256, size). Keys travel as chunks; a ' +
      'secret key is refused (422). Ledger: dataset.uploadStarted with the manifest hash',
  })
  @ApiCreatedResponse({ type: DatasetResponse })
  async start(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateDatasetDto,
  ): Promise<DatasetResponse> {
    const dataset = await this.datasets.start(principal, manifestOf(body));
    return datasetView({ dataset, chunks: [] });
  }

  @Get()
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      "Dataset versions, newest first: an asset's (for the asset's rights holders and the overseers; others see " +
      "their own organisation's uploads of it), or without assetId those your organisation uploaded",
  })
  @ApiOkResponse({ type: DatasetListResponse })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DatasetListQueryDto,
  ): Promise<DatasetListResponse> {
    const page = await this.datasets.list(principal, {
      assetId: query.assetId,
      after: query.after,
      limit: query.limit ?? 50,
    });
    return { datasets: page.datasets.map(datasetSummary), next: page.next };
  }

  @Get(':id')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'A dataset version: its state, manifest and which chunks are received or missing (an interrupted upload ' +
      "resumes from missingChunks). For the uploading organisation, the asset's rights holders and the overseers (others 404)",
  })
  @ApiOkResponse({ type: DatasetResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DatasetResponse> {
    return datasetView(await this.datasets.get(principal, id));
  }

  @Put(':id/chunks/:n')
  @Roles('merchant')
  @AcceptsRawUpload()
  @ApiOperation({
    summary:
      'Uploading merchant: chunk n of the manifest, its bytes as the body (application/octet-stream, streamed). ' +
      "Bytes that do not hash to the manifest's SHA-256 (or run past its size) are 422 and nothing is kept; a chunk " +
      'number outside the manifest is 404; the same chunk again is 200 and stores nothing new (201 the first time)',
  })
  @ApiParam({ name: 'n', description: 'the chunk number, from 0', schema: { type: 'integer', minimum: 0 } })
  @ApiConsumes(RAW_UPLOAD_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: DatasetChunkResponse })
  @ApiOkResponse({ type: DatasetChunkResponse })
  async putChunk(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('n') n: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DatasetChunkResponse> {
    const seq = chunkNumber(n);
    const body = request.body;
    if (!(body instanceof RawUpload)) {
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
      if (type === RAW_UPLOAD_TYPE)
        throw new ValidationFailed('the chunk is empty; send its bytes as the body', 'empty_chunk');
      throw new UnsupportedMediaTypeException({
        code: 'unsupported_media_type',
        message: `send the chunk's bytes as the body, as ${RAW_UPLOAD_TYPE}${type ? `, not ${type}` : ''}`,
      });
    }
    const { chunk, created } = await this.datasets.receiveChunk(
      principal,
      id,
      seq,
      // Not destroyed when the store stops reading early (a mismatch, too long): the answer must still go out.
      body.stream.iterator({ destroyOnReturn: false }),
    );
    void reply.status(created ? 201 : 200);
    return chunkView(chunk, created);
  }

  @Post(':id/complete')
  @Roles('merchant')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Uploading merchant: the version is ready once every chunk is received (409 chunks_missing naming them ' +
      'otherwise); completing a ready version again returns it unchanged. Ledger: dataset.completed with the ' +
      "manifest hash and the chunks' Merkle root",
  })
  @ApiOkResponse({ type: DatasetResponse })
  async complete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DatasetResponse> {
    return datasetView(await this.datasets.complete(principal, id));
  }
}
