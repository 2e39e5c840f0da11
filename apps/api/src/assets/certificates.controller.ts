import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CertificateService, certificateSigningDescription } from '@app/assets';
import { Public } from '../http/access.decorators.js';
import {
  CertificateCheckResponse,
  CertificateDocument,
  CertificateSigningResponse,
} from './dto/certificate.response.js';

@ApiTags('certificates')
@Controller('v1/certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificateService) {}

  @Post('verify')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary:
      'Anyone: is this a genuine certificate of the exchange (its key’s EIP-712 signature, facts unchanged) of a ' +
      'registration in force at this version? A cancelled, suspended or superseded one is not valid and says so',
  })
  @ApiBody({ type: CertificateDocument, description: 'the certificate document exactly as issued' })
  @ApiOkResponse({ type: CertificateCheckResponse })
  // The document is checked by the verifier itself, byte for byte of its meaning: a validation pipe would strip or
  // refuse what must instead be reported as an invalid certificate.
  async verify(@Body() body: unknown): Promise<CertificateCheckResponse> {
    return this.certificates.verify(body);
  }

  @Get('signing')
  @Public()
  @ApiOperation({ summary: 'How certificates are signed: the signer address, EIP-712 domain and types' })
  @ApiOkResponse({ type: CertificateSigningResponse })
  signing(): CertificateSigningResponse {
    return certificateSigningDescription(this.certificates.signerAddress);
  }
}
