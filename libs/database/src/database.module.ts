import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM, type Options } from '@mikro-orm/core';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { openDatabase } from './open-database.js';
import { UnitOfWork } from './unit-of-work.js';

/** The entities the ORM serves, provided by the composition root (`@app/platform`): every lib adds its own. */
export const DATABASE_ENTITIES = Symbol('DATABASE_ENTITIES');

@Module({
  providers: [
    {
      provide: MikroORM,
      inject: [APP_CONFIG, DATABASE_ENTITIES],
      useFactory: (config: AppConfig, entities: NonNullable<Options['entities']>) =>
        openDatabase(config, entities),
    },
    UnitOfWork,
  ],
  exports: [MikroORM, UnitOfWork],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}
