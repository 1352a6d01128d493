import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from './redis.token';

/** How long a configuration read is trusted without an invalidation (a backstop for writes that bypass the services). */
export const CONFIG_CACHE_TTL_MS = 5_000;
const CHANNEL = 'sy:config:invalidate';
const MAX_ENTRIES = 50_000;

interface Entry {
  value: unknown;
  expiresAt: number;
  tag: string;
}

/**
 * Merchant configuration (API keys, profiles, connector accounts, routing settings) kept in process memory for the
 * payment path, which would otherwise read it from Postgres on every request. Entries are tagged with their merchant;
 * a write through the services calls `invalidate(merchantId)`, which drops the merchant's entries here at once and in
 * every other API and worker replica through Redis pub/sub (milliseconds). A short TTL bounds what a missed message or a
 * write outside the services (SQL by hand) can leave stale. Values are shared: callers must not mutate them.
 */
@Injectable()
export class ConfigCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ConfigCache');
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation of a tag, so a read that started before it does not store what it read. */
  private readonly generations = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private subscriber: Redis | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, tag: string) => this.drop(tag));
    subscriber.on('error', (error: unknown) => this.logger.warn({ msg: 'invalidation channel', error: String(error) }));
    // Reconnecting may have missed messages: forget everything rather than trust it.
    subscriber.on('ready', () => this.clear());
    await subscriber.subscribe(CHANNEL);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /**
   * The cached value of `name` (tagged `tag`), or what `load` reads (once, however many requests ask meanwhile).
   * `inTransaction`: the caller holds a pooled database connection and `load` reads on it. It then never waits for a
   * load another caller started: that load may be waiting for a pool connection, and with every connection held by
   * such waiters the pool deadlocks (seen under load: the API stopped answering).
   */
  async get<T>(tag: string, name: string, load: () => Promise<T>, inTransaction = false): Promise<T> {
    const key = `${tag}|${name}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.value as T;
    const running = inTransaction ? undefined : this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const generation = this.generations.get(tag) ?? 0;
    const promise = load()
      .then((value) => {
        // Absence is not kept: a probe with unknown keys must not fill the cache, and a row created next is found.
        if (value !== null && value !== undefined && (this.generations.get(tag) ?? 0) === generation) {
          if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
          this.entries.set(key, { value, expiresAt: Date.now() + CONFIG_CACHE_TTL_MS, tag });
        }
        return value;
      })
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    if (!inTransaction) this.inFlight.set(key, promise);
    return promise;
  }

  /** Drops a merchant's entries here and in every replica. Call after the write committed. */
  async invalidate(tag: string): Promise<void> {
    this.drop(tag);
    await this.redis.publish(CHANNEL, tag).catch((error: unknown) =>
      this.logger.error({
        msg: 'invalidation not published; other replicas expire it by TTL',
        tag,
        error: String(error),
      }),
    );
  }

  private drop(tag: string): void {
    this.generations.set(tag, (this.generations.get(tag) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.tag === tag) this.entries.delete(key);
    // A read in flight may already hold the old row: let the next caller read again.
    for (const key of this.inFlight.keys()) if (key.startsWith(`${tag}|`)) this.inFlight.delete(key);
  }

  private clear(): void {
    for (const tag of new Set([...this.entries.values()].map((e) => e.tag))) this.drop(tag);
    this.entries.clear();
  }
}
