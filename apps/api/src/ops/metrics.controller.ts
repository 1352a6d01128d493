import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { Errors, safeEqual } from '@switchyard/common';
import { ApiKeysService } from '@switchyard/merchants';
import { MetricsService } from '@switchyard/ops';
import { Auth } from '../common/auth.decorator';

/**
 * Prometheus scrape. Not public: it reveals volumes per connector. Either `Authorization: Bearer $METRICS_TOKEN`
 * (Prometheus' `authorization` scrape setting; give it a token, not the admin key) or the admin key in `api-key`.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Auth('public')
  @ApiExcludeEndpoint()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Headers('api-key') apiKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    if (!(await this.allowed(authorization, apiKey))) throw Errors.unauthorized();
    res.setHeader('content-type', this.metrics.contentType);
    res.setHeader('cache-control', 'no-store');
    return this.metrics.render();
  }

  private async allowed(authorization: string | undefined, apiKey: string | undefined): Promise<boolean> {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (bearer && this.config.METRICS_TOKEN && safeEqual(bearer, this.config.METRICS_TOKEN)) return true;
    return !!apiKey && (await this.apiKeys.authenticate(apiKey.trim()))?.kind === 'admin';
  }
}
