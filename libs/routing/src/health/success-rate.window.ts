import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@switchyard/common';
import type { WindowStats } from '../core/routing.types';

/** Largest window a config may ask for (validator: window_size ≤ 1000). */
const KEEP = 1000;
const TTL_MS = 2 * 24 * 3600 * 1000;
const CODE = { success: 's', failure: 'f', unknown: 'u' } as const;

export type AttemptOutcome = keyof typeof CODE;

/**
 * Recent authorization outcomes per connector account, in Redis so every API replica ranks with the same figures.
 * A list of `<ms>:<s|f|u>`, newest first, capped at 1000; a config reads its own `window_size` most recent entries and
 * drops those older than `window_seconds`.
 *
 * What counts (docs/routing.md): success = authorized or charged; failure = a definite failure the connector or issuer
 * reported (not the shopper cancelling or a session expiring: that says nothing about the processor); unknown = the
 * authorization's outcome could not be read (timeout, 5xx) — it counts against the rate, since the shopper waited.
 */
@Injectable()
export class SuccessRateWindow {
  private readonly logger = new Logger('SuccessRateWindow');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async record(accountId: string, outcome: AttemptOutcome, now = Date.now()): Promise<void> {
    try {
      await this.redis
        .multi()
        .lpush(key(accountId), `${now}:${CODE[outcome]}`)
        .ltrim(key(accountId), 0, KEEP - 1)
        .pexpire(key(accountId), TTL_MS)
        .exec();
    } catch (error: unknown) {
      this.logger.warn({
        msg: 'success-rate outcome not recorded',
        merchantConnectorId: accountId,
        error: String(error),
      });
    }
  }

  /** Counts per account over the window; missing or unreadable accounts are absent (routing treats them as cold). */
  async stats(
    accountIds: readonly string[],
    window: { size: number; seconds: number },
    now = Date.now(),
  ): Promise<Record<string, WindowStats>> {
    const result: Record<string, WindowStats> = {};
    if (accountIds.length === 0) return result;
    try {
      const pipeline = this.redis.pipeline();
      for (const id of accountIds) pipeline.lrange(key(id), 0, window.size - 1);
      const rows = (await pipeline.exec()) ?? [];
      const since = now - window.seconds * 1000;
      accountIds.forEach((id, i) => {
        const [error, entries] = rows[i] ?? [null, null];
        if (error || !Array.isArray(entries)) return;
        result[id] = count(entries as string[], since);
      });
    } catch (error: unknown) {
      this.logger.warn({ msg: 'success rates unavailable; all connectors treated as cold', error: String(error) });
    }
    return result;
  }
}

export function count(entries: readonly string[], since: number): WindowStats {
  const stats: WindowStats = { success: 0, failure: 0, unknown: 0 };
  for (const entry of entries) {
    const sep = entry.indexOf(':');
    if (Number(entry.slice(0, sep)) < since) break; // newest first: the rest is older still
    const code = entry.slice(sep + 1);
    if (code === 's') stats.success++;
    else if (code === 'f') stats.failure++;
    else stats.unknown++;
  }
  return stats;
}

function key(accountId: string): string {
  return `sy:sr:${accountId}`;
}
