import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { CircuitBreakerService } from '@switchyard/routing';
import { OpsReadRepository } from './ops-read.repository';
import type { AccountHealthRow } from './ops-read.types';

/** Connector accounts with what is known of their health: recent attempt outcomes (Postgres) and circuit state (Redis). */
@Injectable()
export class AccountHealthService {
  constructor(
    private readonly reads: OpsReadRepository,
    private readonly breakers: CircuitBreakerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get windowSeconds(): number {
    return this.config.METRICS_WINDOW_SECONDS;
  }

  /** `merchantId` null = every merchant (the operator's view). */
  async accounts(merchantId: string | null): Promise<AccountHealthRow[]> {
    const rows = await this.reads.accountHealth(merchantId, new Date(Date.now() - this.windowSeconds * 1000));
    const circuits = await this.breakers.view(rows.map((r) => r.id));
    return rows.map((r) => {
      const view = circuits[r.id];
      const state = view ? (view.probing ? 'half_open (probe in flight)' : view.state) : null;
      return { ...r, circuit: state && view?.retryAt ? `${state} until ${view.retryAt}` : state };
    });
  }
}
