import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { SecretBox } from './secrets';

/** SecretBox keyed by MASTER_KEY (and MASTER_KEY_PREVIOUS during a rotation). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SecretBox(config.MASTER_KEY, config.MASTER_KEY_PREVIOUS ? [config.MASTER_KEY_PREVIOUS] : []),
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
