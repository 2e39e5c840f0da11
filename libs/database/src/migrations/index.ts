import { Migration001Identity } from './001-identity.migration.js';
import { Migration002Ledger } from './002-ledger.migration.js';
import { Migration003LedgerHeads } from './003-ledger-heads.migration.js';
import { Migration004AppendOnlyGuards } from './004-append-only-guards.migration.js';
import { Migration005LedgerHeadLock } from './005-ledger-head-lock.migration.js';
import { Migration006IdentityHardening } from './006-identity-hardening.migration.js';
import { Migration007Assets } from './007-assets.migration.js';
import { Migration008Listings } from './008-listings.migration.js';
import { Migration009CatalogSearch } from './009-catalog-search.migration.js';
import { Migration010Settlement } from './010-settlement.migration.js';
import { Migration011Trading } from './011-trading.migration.js';
import { Migration012Datasets } from './012-datasets.migration.js';
import { Migration013ResultKeys } from './013-result-keys.migration.js';
import { Migration014Computations } from './014-computations.migration.js';
import { Migration015Oversight } from './015-oversight.migration.js';
import { Migration016DestroyedBytes } from './016-destroyed-bytes.migration.js';
import { Migration017ContractSuspensionReason } from './017-contract-suspension-reason.migration.js';

/** Every migration in order. Listed by hand so the same list runs from source, tests and a bundle alike. */
export const MIGRATIONS = [
  { name: '001-identity', class: Migration001Identity },
  { name: '002-ledger', class: Migration002Ledger },
  { name: '003-ledger-heads', class: Migration003LedgerHeads },
  { name: '004-append-only-guards', class: Migration004AppendOnlyGuards },
  { name: '005-ledger-head-lock', class: Migration005LedgerHeadLock },
  { name: '006-identity-hardening', class: Migration006IdentityHardening },
  { name: '007-assets', class: Migration007Assets },
  { name: '008-listings', class: Migration008Listings },
  { name: '009-catalog-search', class: Migration009CatalogSearch },
  { name: '010-settlement', class: Migration010Settlement },
  { name: '011-trading', class: Migration011Trading },
  { name: '012-datasets', class: Migration012Datasets },
  { name: '013-result-keys', class: Migration013ResultKeys },
  { name: '014-computations', class: Migration014Computations },
  { name: '015-oversight', class: Migration015Oversight },
  { name: '016-destroyed-bytes', class: Migration016DestroyedBytes },
  { name: '017-contract-suspension-reason', class: Migration017ContractSuspensionReason },
];
