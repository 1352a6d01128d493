import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { ConfigCache } from './config-cache';
import { REDIS } from './redis.token';

export { REDIS } from './redis.token';

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis connection for caches, locks and counters (BullMQ opens its own), and the configuration cache. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, enableReadyCheck: true }),
    },
    RedisCloser,
    ConfigCache,
  ],
  exports: [REDIS, ConfigCache],
})
export class RedisModule {}
