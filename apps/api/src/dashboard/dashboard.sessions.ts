import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { REDIS, sha256Hex } from '@switchyard/common';

export interface DashboardSession {
  id: string;
  /** Synchronizer token every form POST must carry. */
  csrf: string;
  createdAt: string;
}

const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const LOGIN_FAILURE_LIMIT = 10;
const LOGIN_FAILURE_WINDOW_SECONDS = 900;

/**
 * Dashboard sessions in Redis (shared by every API replica), keyed by the SHA-256 of a random 256-bit id: the cookie
 * holds the id, never the admin key, and a Redis dump holds no usable id. Sessions end at logout or after the TTL.
 */
@Injectable()
export class DashboardSessions {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.DASHBOARD_SESSION_TTL_SECONDS;
  }

  async create(): Promise<DashboardSession> {
    const session = { id: token(), csrf: token(), createdAt: new Date().toISOString() };
    const { id: _id, ...stored } = session;
    await this.redis.set(this.key(session.id), JSON.stringify(stored), 'EX', this.ttlSeconds);
    return session;
  }

  async find(id: string | undefined): Promise<DashboardSession | null> {
    if (!id || !ID_FORMAT.test(id)) return null;
    const raw = await this.redis.get(this.key(id));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Omit<DashboardSession, 'id'>;
    return { id, ...stored };
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** Failed logins per client address: guessing the admin key through the form is throttled. */
  async loginBlocked(client: string): Promise<boolean> {
    return Number(await this.redis.get(this.failureKey(client))) >= LOGIN_FAILURE_LIMIT;
  }

  async recordLoginFailure(client: string): Promise<void> {
    const key = this.failureKey(client);
    await this.redis.multi().incr(key).expire(key, LOGIN_FAILURE_WINDOW_SECONDS).exec();
  }

  async clearLoginFailures(client: string): Promise<void> {
    await this.redis.del(this.failureKey(client));
  }

  private key(id: string): string {
    return `sy:dash:session:${sha256Hex(id)}`;
  }

  private failureKey(client: string): string {
    return `sy:dash:login-failures:${sha256Hex(client)}`;
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}
