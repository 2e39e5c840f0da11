import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { AccountService } from './account.service.js';
import { ApiTokenService } from './api-token.service.js';
import { AttemptThrottle } from './attempt-throttle.js';
import { AuthenticationService } from './authentication.service.js';
import { CredentialResolver } from './credential-resolver.js';
import { OrganisationService } from './organisation.service.js';
import { PartyReader } from './party-reader.js';
import { RegistrationService } from './registration.service.js';
import { SecondFactorService } from './second-factor.service.js';

@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: [
    AttemptThrottle,
    CredentialResolver,
    PartyReader,
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
    AccountService,
  ],
  exports: [
    AttemptThrottle,
    CredentialResolver,
    PartyReader,
    AccountService,
    RegistrationService,
    OrganisationService,
    AuthenticationService,
    SecondFactorService,
    ApiTokenService,
  ],
})
export class IdentityModule {}
