import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, sha256Hex } from '@switchyard/common';

export interface IssuedToken {
  accessToken: string;
  /** Seconds the processor says the token lives. */
  expiresInSeconds: number;
}

/** Refresh this long before the processor's expiry, so a token never dies mid-request. */
const REFRESH_MARGIN_SECONDS = 60;
const LOCK_TTL_MS = 15_000;
const MAX_LOCAL_TOKENS = 10_000;

/**
 * Processor access tokens, kept in process memory and shared by every API and worker replica through Redis (read only
 * on a local miss, with its remaining lifetime so the local copy expires with the shared one). One token request per account at a time
 * (Redis lock plus in-process single flight); refreshed before expiry; `invalidate` after a 401 drops exactly the token
 * that failed, so a burst of 401s causes one re-auth, not one each.
 */
@Injectable()
export class AccessTokenCache {
  private readonly logger = new Logger('AccessTokenCache');
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly local = new Map<string, { token: string; expiresAt: number }>();

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async get(cacheKey: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const key = this.redisKey(cacheKey);
    const known = this.local.get(key);
    if (known && known.expiresAt > Date.now()) return known.token;
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.fetch(key, issue).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Drops the cached token only if it is still the one that was rejected (compare-and-delete). */
  async invalidate(cacheKey: string, rejectedToken: string): Promise<void> {
    const key = this.redisKey(cacheKey);
    if (this.local.get(key)?.token === rejectedToken) this.local.delete(key);
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      1,
      this.redisKey(cacheKey),
      rejectedToken,
    );
  }

  /** The shared token (remembered locally for what Redis says is left of its life), or a new one. */
  private async fetch(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const [[, cached], [, pttl]] = ((await this.redis.multi().get(key).pttl(key).exec()) ?? [
      [null, null],
      [null, -2],
    ]) as [[unknown, string | null], [unknown, number]];
    if (cached) {
      if (Number(pttl) > 0) this.remember(key, cached, Number(pttl));
      return cached;
    }
    return this.fetchWithLock(key, issue);
  }

  private remember(key: string, token: string, ttlMs: number): void {
    if (this.local.size >= MAX_LOCAL_TOKENS) this.local.clear();
    this.local.set(key, { token, expiresAt: Date.now() + ttlMs });
  }

  private async fetchWithLock(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const lockKey = `${key}:lock`;
    const deadline = Date.now() + LOCK_TTL_MS;
    while (Date.now() < deadline) {
      const locked = await this.redis.set(lockKey, '1', 'PX', LOCK_TTL_MS, 'NX');
      if (locked === 'OK') {
        try {
          const again = await this.redis.get(key);
          if (again) return again;
          const token = await issue();
          const ttl = Math.max(
            1,
            Math.floor(token.expiresInSeconds - Math.min(REFRESH_MARGIN_SECONDS, token.expiresInSeconds / 2)),
          );
          await this.redis.set(key, token.accessToken, 'EX', ttl);
          this.remember(key, token.accessToken, ttl * 1000);
          this.logger.debug({ msg: 'access token issued', ttlSeconds: ttl });
          return token.accessToken;
        } finally {
          await this.redis.del(lockKey);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const cached = await this.redis.get(key);
      if (cached) return cached;
    }
    throw new Error('timed out waiting for another replica to fetch the access token');
  }

  private redisKey(cacheKey: string): string {
    return `sy:token:${sha256Hex(cacheKey).slice(0, 32)}`;
  }
}
