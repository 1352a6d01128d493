import { Test } from '@nestjs/testing';
import { HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { REDIS } from '@switchyard/common';
import { HealthController } from '../../apps/api/src/health/health.controller';

/** /health/ready with fake dependencies: 200 when Postgres and Redis answer, 503 with the failing one named otherwise. */
describe('GET /health/ready', () => {
  async function controller(postgresUp: boolean, ping: () => Promise<string>) {
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: REDIS, useValue: { ping } }],
    })
      .overrideProvider(TypeOrmHealthIndicator)
      .useFactory({
        inject: [HealthIndicatorService],
        factory: (indicators: HealthIndicatorService) => ({
          pingCheck: (key: string) =>
            postgresUp ? indicators.check(key).up() : indicators.check(key).down({ message: 'timeout' }),
        }),
      })
      .compile();
    return moduleRef.get(HealthController);
  }

  interface FakeResponse {
    statusCode: number;
    status: (code: number) => FakeResponse;
  }
  const response = (): FakeResponse => {
    const res: FakeResponse = {
      statusCode: 200,
      status: (code) => {
        res.statusCode = code;
        return res;
      },
    };
    return res;
  };

  it('answers 200 with both dependencies up', async () => {
    const res = response();
    const body = await (await controller(true, async () => 'PONG')).ready(res as unknown as Response);
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers 503 naming Redis when it refuses connections', async () => {
    const res = response();
    const body = await (
      await controller(true, () => Promise.reject(new Error('connect ECONNREFUSED')))
    ).ready(res as unknown as Response);
    expect(res.statusCode).toBe(503);
    expect(body).toMatchObject({
      status: 'error',
      info: { postgres: { status: 'up' } },
      error: { redis: { status: 'down', message: 'connect ECONNREFUSED' } },
    });
  });

  it('answers 503 within the probe timeout when Redis hangs (ioredis queues commands while reconnecting)', async () => {
    const res = response();
    const started = Date.now();
    const body = await (
      await controller(true, () => new Promise<string>(() => undefined))
    ).ready(res as unknown as Response);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(res.statusCode).toBe(503);
    expect(body).toMatchObject({ error: { redis: { status: 'down' } } });
  });

  it('answers 503 naming Postgres when it is down', async () => {
    const res = response();
    const body = await (await controller(false, async () => 'PONG')).ready(res as unknown as Response);
    expect(res.statusCode).toBe(503);
    expect(body).toMatchObject({ error: { postgres: { status: 'down' } }, info: { redis: { status: 'up' } } });
  });
});
