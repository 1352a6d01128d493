import type { IssuedToken } from '../core/access-token.cache';
import type { ConnectorHttpRequest, ConnectorHttpResponse } from '../core/connector-http.client';
import { ConnectorOutcomeUnknownError } from '../core/connector.types';

/** Test doubles for the adapter's collaborators (used by plural.connector.spec.ts only). */

export type Reply = Partial<ConnectorHttpResponse> & { status: number };

/** Answers calls from a script keyed by `METHOD path`; records every request. */
export class FakeHttp {
  readonly calls: ConnectorHttpRequest[] = [];
  private readonly replies = new Map<string, Reply[]>();

  on(key: string, ...replies: Reply[]): this {
    this.replies.set(key, [...(this.replies.get(key) ?? []), ...replies]);
    return this;
  }

  send(req: ConnectorHttpRequest): Promise<ConnectorHttpResponse> {
    this.calls.push(req);
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const queue = this.replies.get(key);
    const reply = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    if (!reply) return Promise.reject(new ConnectorOutcomeUnknownError('plural', `no reply scripted for ${key}`));
    return Promise.resolve({ body: undefined, malformed: false, durationMs: 1, ...reply });
  }

  paths(): string[] {
    return this.calls.map((c) => `${c.method} ${new URL(c.url).pathname}`);
  }
}

/** In-memory stand-in for the Redis cache with the same get/invalidate contract. */
export class FakeTokens {
  readonly issued: IssuedToken[] = [];
  private readonly cached = new Map<string, string>();

  async get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const hit = this.cached.get(key);
    if (hit) return hit;
    const token = await issue();
    this.issued.push(token);
    this.cached.set(key, token.accessToken);
    return token.accessToken;
  }

  async invalidate(key: string, rejected: string): Promise<void> {
    if (this.cached.get(key) === rejected) this.cached.delete(key);
  }
}
