import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { AccountService } from './account.service.js';
import { ApiTokenService } from './api-token.service.js';
import { AttemptThrottle } from './attempt-throttle.js';
import { AuthenticationService } from './authentication.service.js';
import { OrganisationService } from './organisation.service.js';
import { RegistrationService } from './registration.service.js';
import { SecondFactorService } from './second-factor.service.js';

@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: [
    AttemptThrottle,
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
    AccountService,
  ],
  exports: [
    AccountService,
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
  ],
})
export class IdentityModule {}
