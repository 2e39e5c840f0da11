import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { CatalogIndex } from './catalog-index.js';
import { CatalogSearch } from './catalog-search.service.js';

/** The searchable catalogue: the index the listing service writes to, and the search buyers read. */
@Module({
  imports: [DatabaseModule],
  providers: [CatalogIndex, CatalogSearch],
  exports: [CatalogIndex, CatalogSearch],
})
export class CatalogSearchModule {}
