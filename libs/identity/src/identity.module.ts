import { Global, Module } from '@nestjs/common';
import { ApiTokenService } from './api-token.service.js';
import { AuthenticationService } from './authentication.service.js';
import { OrganisationService } from './organisation.service.js';
import { RegistrationService } from './registration.service.js';
import { SecondFactorService } from './second-factor.service.js';

@Global()
@Module({
  providers: [
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
  ],
  exports: [
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
  ],
})
export class IdentityModule {}
