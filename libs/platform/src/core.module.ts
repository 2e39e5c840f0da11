import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_CONFIG, Clock, SystemClock, type AppConfig } from '@app/core';

/**
 * What the composition root fixes once for the whole process: the validated config, the clock, and the settings
 * it hands the libs (the application key, the ORM's entity list, the anchor bytecode source).
 *
 * The one global module, on purpose: these are read-only values decided at start that nearly every module reads,
 * and a test swaps the clock in one place. No service is global: a module that injects a service imports the
 * module that provides it, so a missing import fails at boot instead of working by accident.
 */
@Module({})
export class CoreModule {
  static forRoot(
    config: AppConfig,
    clock: Clock = new SystemClock(),
    settings: Provider[] = [],
  ): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: Clock, useValue: clock },
      ...settings,
    ];
    return {
      module: CoreModule,
      global: true,
      providers,
      exports: providers.map((provider) => (typeof provider === 'function' ? provider : provider.provide)),
    };
  }
}
