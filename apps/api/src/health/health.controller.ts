import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { REDIS } from '@switchyard/common';
import { Auth } from '../common/auth.decorator';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up (no dependencies checked: a restart would not fix them). */
  @Get('live')
  @Auth('public')
  live() {
    return { status: 'ok' };
  }

  /** Ready to take traffic: Postgres and Redis answer. */
  @Get('ready')
  @Auth('public')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 2000 }),
        async () => {
          const indicator = this.indicators.check('redis');
          try {
            await withTimeout(this.redis.ping(), 2000);
            return indicator.up();
          } catch (error: unknown) {
            return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
          }
        },
      ]);
    } catch (error: unknown) {
      // Terminus answers 503 with each dependency's state; the one exception filter would turn any 5xx into an opaque 500.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}

/** ioredis queues commands while it reconnects: a probe must answer promptly, not when Redis comes back. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
