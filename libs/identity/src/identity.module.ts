import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@app/core';
import { ApiTokenService } from './api-token.service.js';
import { AuthenticationService } from './authentication.service.js';
import { OrganisationService } from './organisation.service.js';
import { RegistrationService } from './registration.service.js';
import { SecondFactorService } from './second-factor.service.js';
import { loadSecretBox } from './secret-box.provider.js';

@Global()
@Module({
  providers: [
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadSecretBox(config) },
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
