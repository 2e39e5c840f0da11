import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM, type Options } from '@mikro-orm/core';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { openDatabase } from './open-database.js';
import { UnitOfWork } from './unit-of-work.js';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}

  static forRoot(entities: NonNullable<Options['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: MikroORM,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => openDatabase(config, entities),
        },
        UnitOfWork,
      ],
      exports: [MikroORM, UnitOfWork],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}
