import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, randomAlphanumeric } from '@switchyard/common';
import type { CircuitState, CircuitView } from '../core/routing.types';
import { ACQUIRE_PROBE, RECORD_CALL } from './breaker.scripts';
import { ROUTING_HEALTH_SETTINGS, RoutingHealthSettings } from './health.settings';

const INDEX = 'sy:cb:index';
const MAX_CALLS = 200;
const CALLS_TTL_MS = 24 * 3600 * 1000;

/**
 * A circuit breaker per connector account, kept in Redis so every API and worker replica sees and drives the same state
 * (opossum keeps its state and rolling counters in process memory, so each replica would have to fail on its own and
 * each would send its own half-open probe). Counts authorization calls only: a timeout, 5xx or unreadable answer is a
 * failure, any answer the connector gave (even a refusal) is a success. Open → after ROUTING_BREAKER_OPEN_SECONDS one
 * request, across all replicas, wins the probe; its answer closes or re-opens the circuit.
 *
 * Redis trouble never blocks a payment: reads fail open (closed) and writes are logged and dropped.
 */
@Injectable()
export class CircuitBreakerService {
  private readonly logger = new Logger('CircuitBreaker');

  private readonly redis: BreakerRedis;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(ROUTING_HEALTH_SETTINGS) private readonly settings: RoutingHealthSettings,
  ) {
    // Sent as EVALSHA (ioredis loads the script once on NOSCRIPT) instead of the script text on every call.
    if (!('syBreakerRecordCall' in redis)) {
      redis.defineCommand('syBreakerRecordCall', { numberOfKeys: 3, lua: RECORD_CALL });
      redis.defineCommand('syBreakerAcquireProbe', { numberOfKeys: 1, lua: ACQUIRE_PROBE });
    }
    this.redis = redis as BreakerRedis;
  }

  /** How routing sees each account now. Accounts never recorded are closed. */
  async view(accountIds: readonly string[], now = Date.now()): Promise<Record<string, CircuitView>> {
    const views: Record<string, CircuitView> = {};
    if (accountIds.length === 0) return views;
    try {
      const pipeline = this.redis.pipeline();
      for (const id of accountIds) pipeline.hmget(hashKey(id), 'state', 'opened_at', 'probe_until');
      const rows = (await pipeline.exec()) ?? [];
      accountIds.forEach((id, i) => {
        const [error, fields] = rows[i] ?? [null, null];
        views[id] = error ? { state: 'closed' } : this.effective(fields as (string | null)[], now);
      });
    } catch (error: unknown) {
      this.logger.warn({ msg: 'circuit states unavailable; routing as if closed', error: String(error) });
    }
    return views;
  }

  /**
   * Tries to become the half-open probe of an account. Returns the probe token to pass back with the call's outcome,
   * or null when another request holds the probe (or the circuit is still open).
   */
  async acquireProbe(accountId: string, now = Date.now()): Promise<string | null> {
    const token = randomAlphanumeric(16);
    try {
      const won = await this.redis.syBreakerAcquireProbe(
        hashKey(accountId),
        now,
        this.settings.ROUTING_BREAKER_OPEN_SECONDS * 1000,
        this.settings.ROUTING_BREAKER_PROBE_SECONDS * 1000,
        token,
      );
      return Number(won) === 1 ? token : null;
    } catch (error: unknown) {
      this.logger.warn({ msg: 'probe lease unavailable; letting the call through', error: String(error) });
      return token;
    }
  }

  /** An authorization call's transport outcome: `failure` = timeout, 5xx, unreadable; `success` = any answer. */
  async record(accountId: string, outcome: 'success' | 'failure', probe: string | null = null): Promise<void> {
    const s = this.settings;
    try {
      const state = await this.redis.syBreakerRecordCall(
        hashKey(accountId),
        `${hashKey(accountId)}:calls`,
        INDEX,
        Date.now(),
        outcome === 'success' ? 's' : 'f',
        s.ROUTING_BREAKER_WINDOW_SECONDS * 1000,
        s.ROUTING_BREAKER_MIN_FAILURES,
        s.ROUTING_BREAKER_FAILURE_RATIO,
        MAX_CALLS,
        CALLS_TTL_MS,
        accountId,
        probe ?? '',
      );
      if (outcome === 'failure' && state === 'open') {
        this.logger.warn({ msg: 'circuit open', merchantConnectorId: accountId });
      }
    } catch (error: unknown) {
      this.logger.warn({ msg: 'circuit outcome not recorded', merchantConnectorId: accountId, error: String(error) });
    }
  }

  /** Every account with breaker history and its state now, for metrics and ops. */
  async states(): Promise<{ merchantConnectorId: string; state: CircuitState }[]> {
    const known = (await this.redis.smembers(INDEX)).sort();
    // Accounts whose history expired (no authorization for a day) leave the index.
    const pipeline = this.redis.pipeline();
    for (const id of known) pipeline.exists(hashKey(id), `${hashKey(id)}:calls`);
    const alive = ((await pipeline.exec()) ?? []).map(([error, n]) => error !== null || Number(n) > 0);
    const gone = known.filter((_, i) => !alive[i]);
    if (gone.length) await this.redis.srem(INDEX, ...gone);
    const ids = known.filter((_, i) => alive[i]);
    const views = await this.view(ids);
    // A probe in flight is routed around like an open circuit, but for metrics it is half-open.
    return ids.map((id) => {
      const view = views[id];
      return { merchantConnectorId: id, state: view?.probing ? 'half_open' : (view?.state ?? 'closed') };
    });
  }

  /** An open circuit whose wait is over, or a probe that outlived its lease, is effectively half-open. */
  private effective([state, openedAt, probeUntil]: (string | null)[], now: number): CircuitView {
    if (state === 'open') {
      const retryAt = Number(openedAt ?? 0) + this.settings.ROUTING_BREAKER_OPEN_SECONDS * 1000;
      return now >= retryAt ? { state: 'half_open' } : { state: 'open', retryAt: new Date(retryAt).toISOString() };
    }
    if (state === 'half_open') {
      const until = Number(probeUntil ?? 0);
      if (now >= until) return { state: 'half_open' };
      return { state: 'open', retryAt: new Date(until).toISOString(), probing: true };
    }
    return { state: 'closed' };
  }
}

/** The shared connection with the breaker's scripts defined on it. */
type BreakerRedis = Redis & {
  syBreakerRecordCall(...keysAndArgs: (string | number)[]): Promise<unknown>;
  syBreakerAcquireProbe(...keysAndArgs: (string | number)[]): Promise<unknown>;
};

function hashKey(accountId: string): string {
  return `sy:cb:${accountId}`;
}
