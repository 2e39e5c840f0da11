import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '@app/core';
import type { Principal } from '@app/identity';
import { DeliveryFileService, DeliveryFileTooLarge, hexOf } from '@app/trading';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { AcceptsRawUpload, RAW_UPLOAD_TYPE, RawUpload } from '../http/raw-upload.js';
import {
  ContractFilesResponse,
  DeliveryFileListResponse,
  DeliveryFileResponse,
  DeliveryFileUploadQueryDto,
  deliveryFileView,
} from './delivery-files.dto.js';

/** RFC 6266: an ASCII fallback and the exact name in RFC 8187 encoding. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The name from the query, else from the percent-encoded X-File-Name header. */
function fileNameOf(query: string | undefined, header: string | undefined): string {
  if (query !== undefined && header !== undefined) {
    throw new ValidationFailed('give the file name once: in the name query parameter or in X-File-Name');
  }
  if (query !== undefined) return query;
  if (header === undefined || header === '') {
    throw new ValidationFailed(
      'name the file: the name query parameter, or the X-File-Name header (percent-encoded UTF-8)',
      'file_name_required',
    );
  }
  try {
    return decodeURIComponent(header);
  } catch {
    throw new ValidationFailed('X-File-Name must be percent-encoded UTF-8', 'invalid_file_name');
  }
}

const FILE_HEADERS = {
  'Content-Length': { description: 'the size in bytes', schema: { type: 'integer' } },
  'Content-Disposition': {
    description: 'attachment with the file name (RFC 6266)',
    schema: { type: 'string' },
  },
  'Repr-Digest': {
    description: 'the SHA-256 of the bytes, RFC 9530: `sha-256=:<base64>:`',
    schema: { type: 'string' },
  },
  'X-Content-SHA256': {
    description: 'the same SHA-256 as 64 lowercase hex digits',
    schema: { type: 'string' },
  },
};

@ApiTags('file delivery')
@Controller('v1')
export class DeliveryFilesController {
  constructor(private readonly files: DeliveryFileService) {}

  @Post('listings/:id/files')
  @Roles('merchant')
  @AcceptsRawUpload()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Merchant: upload a file of a file-delivery listing, the raw bytes streamed as the body ' +
      '(application/octet-stream, up to DELIVERY_FILE_MAX_BYTES, else 413). Kept under DATA_DIR by its SHA-256; ' +
      'a compute-only listing is refused (422, DS 58 / DE 31); an expectedSha256 that does not match is 422 and ' +
      'nothing is kept; the same bytes twice on one listing are 409',
  })
  @ApiConsumes(RAW_UPLOAD_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({
    name: 'X-File-Name',
    required: false,
    description: 'the file name, percent-encoded UTF-8, when it is not given as the name query parameter',
  })
  @ApiCreatedResponse({ type: DeliveryFileResponse })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) listingId: string,
    @Query() query: DeliveryFileUploadQueryDto,
    @Headers('x-file-name') headerName: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<DeliveryFileResponse> {
    const body = request.body;
    try {
      if (!(body instanceof RawUpload)) {
        const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
        if (type === RAW_UPLOAD_TYPE) {
          throw new ValidationFailed('the file is empty; send its bytes as the body', 'empty_file');
        }
        throw new UnsupportedMediaTypeException({
          code: 'unsupported_media_type',
          message: `send the file's bytes as the body, as ${RAW_UPLOAD_TYPE}${type ? `, not ${type}` : ''}`,
        });
      }
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > this.files.maxBytes) throw new DeliveryFileTooLarge(this.files.maxBytes);
      const file = await this.files.upload(
        principal,
        {
          listingId,
          name: fileNameOf(query.name, headerName),
          mediaType: query.mediaType ?? null,
          expectedSha256: query.expectedSha256 ?? null,
        },
        // Not destroyed when the store stops reading early (too large, a mismatch): the answer must still go out.
        body.stream.iterator({ destroyOnReturn: false }),
      );
      return deliveryFileView(file);
    } catch (error) {
      if (error instanceof DeliveryFileTooLarge) {
        throw new PayloadTooLargeException({ code: error.code, message: error.message });
      }
      throw error;
    }
  }

  @Get('listings/:id/files')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      "A file-delivery listing's files: for its merchant, the operator and regulators, and buyers whose contract " +
      'on the listing is active (others 403, or 404 for a listing they cannot see)',
  })
  @ApiOkResponse({ type: DeliveryFileListResponse })
  async forListing(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) listingId: string,
  ): Promise<DeliveryFileListResponse> {
    return { files: (await this.files.forListing(principal, listingId)).map(deliveryFileView) };
  }

  @Get('contracts/:id/files')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      "The files of a file-delivery contract's listing and whether its buyer may download them now; for the " +
      'parties, the operator and regulators (others 404)',
  })
  @ApiOkResponse({ type: ContractFilesResponse })
  async forContract(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) contractId: string,
  ): Promise<ContractFilesResponse> {
    const { contract, accessGranted, files } = await this.files.forContract(principal, contractId);
    return {
      contractId: contract.id,
      listingId: contract.listingId,
      accessGranted,
      accessEndsAt: contract.endsAt?.toISOString() ?? null,
      files: files.map(deliveryFileView),
    };
  }

  @Get('contracts/:id/files/:fileId')
  @Roles('buyer')
  @ApiOperation({
    summary:
      "Buyer: download a file of the contract's listing, streamed, while the contract is active and inside its " +
      'period of use (else 409); each download is a ledger entry `delivery.downloaded` (DS 16) committed before ' +
      'the first byte. Check the bytes against Repr-Digest / X-Content-SHA256. Only the buyer (403); a compute ' +
      'contract is 422 (DS 58)',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'the file’s bytes, with its media type as Content-Type',
    schema: { type: 'string', format: 'binary' },
    headers: FILE_HEADERS,
  })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) contractId: string,
    @Param('fileId', new ParseUUIDPipe()) fileId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const head = request.method === 'HEAD';
    const { file, blob } = await this.files.download(principal, contractId, fileId, !head);
    const hex = hexOf(file);
    void reply
      .status(200)
      .header('content-type', file.mediaType)
      .header('content-length', String(blob.sizeBytes))
      .header('content-disposition', contentDisposition(file.name))
      .header('repr-digest', `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`)
      .header('x-content-sha256', hex)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    if (head) {
      await blob.close();
      void reply.send();
      return;
    }
    void reply.send(blob.stream());
  }
}
