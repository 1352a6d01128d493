import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, loadAppConfig } from './app.config';

/** Validates the environment once at start; a bad or missing variable stops the process naming it. */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => loadAppConfig() }],
  exports: [APP_CONFIG],
})
export class AppConfigModule {}
