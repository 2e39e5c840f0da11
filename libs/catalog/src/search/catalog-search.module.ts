import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { CatalogIndex } from './catalog-index.js';

/** The searchable catalogue: the index the listing service writes to, and the search buyers read. */
@Module({
  imports: [DatabaseModule],
  providers: [CatalogIndex],
  exports: [CatalogIndex],
})
export class CatalogSearchModule {}
