import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
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
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          await this.redis.ping();
          return indicator.up();
        } catch (error: unknown) {
          return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
        }
      },
    ]);
  }
}
