import { randomUUID } from 'node:crypto';
import { sha256Hex } from '@switchyard/common';
import type { AccessTokenCache, IssuedToken } from '../core/access-token.cache';
import type { ConnectorHttpClient, ConnectorHttpRequest, ConnectorHttpResponse } from '../core/connector-http.client';
import {
  type ConnectorAccountContext,
  ConnectorOutcomeUnknownError,
  ConnectorRequestError,
} from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import { pluralCredentials } from './plural.account';
import { errorFromBody, tokenLifetimeSeconds } from './plural.transformers';
import type { PluralCredentials, PluralOrder, PluralTokenResponse } from './plural.types';

export const PLURAL_NAME = 'plural';
/** Plural documents "about one hour"; used only when the token answer carries neither expires_in nor expires_at. */
const FALLBACK_TOKEN_SECONDS = 3600;

export type PluralCall = Omit<ConnectorHttpRequest, 'connector' | 'url' | 'headers'> & { path: string };

/** Plural's tracing headers on every call: a fresh UUID and the UTC time with milliseconds. */
function requestHeaders(): Record<string, string> {
  return { 'request-id': randomUUID(), 'request-timestamp': new Date().toISOString() };
}

/**
 * Plural over the shared HTTP client: bearer tokens from the shared Redis cache (client credentials), one re-auth and one
 * retry on a 401, and the reading rules for answers (2xx object; 4xx a definite refusal; anything else an unknown outcome).
 */
export class PluralClient {
  constructor(
    private readonly http: ConnectorHttpClient,
    private readonly tokens: AccessTokenCache,
  ) {}

  async send(ctx: ConnectorAccountContext, call: PluralCall): Promise<ConnectorHttpResponse> {
    const creds = pluralCredentials(ctx);
    const cacheKey = `${PLURAL_NAME}:${ctx.merchantConnectorId}:${sha256Hex(`${creds.baseUrl}|${creds.clientId}|${creds.clientSecret}`)}`;
    const issue = () => this.issueToken(creds);
    const attempt = (token: string) =>
      this.http.send({
        connector: PLURAL_NAME,
        method: call.method,
        url: `${creds.baseUrl}${call.path}`,
        headers: { authorization: `Bearer ${token}`, ...requestHeaders() },
        json: call.json,
      });
    let token = await this.tokens.get(cacheKey, issue);
    let res = await attempt(token);
    if (res.status === 401) {
      await this.tokens.invalidate(cacheKey, token);
      token = await this.tokens.get(cacheKey, issue);
      res = await attempt(token);
    }
    if (res.status === 401) {
      const error = connectorError('UNAUTHENTICATED', 'Plural rejected a fresh access token', 'authentication');
      throw new ConnectorRequestError(PLURAL_NAME, error, 401);
    }
    return res;
  }

  /** The JSON object of a 2xx; null for a definite 4xx refusal; outcome unknown for anything else (5xx, 3xx, unreadable). */
  readBody(res: ConnectorHttpResponse, what: string): Record<string, unknown> | null {
    if (res.status >= 400 && res.status < 500 && !res.malformed) return null;
    if (res.status < 200 || res.status >= 300 || res.malformed || typeof res.body !== 'object' || res.body === null) {
      const detail = res.malformed ? ' with a malformed body' : '';
      throw new ConnectorOutcomeUnknownError(PLURAL_NAME, `${what} answered HTTP ${res.status}${detail}`);
    }
    return res.body as Record<string, unknown>;
  }

  /** `data` of an order answer (inquiry, capture, cancel, refund); null for a 4xx. */
  orderOf(res: ConnectorHttpResponse, what: string): PluralOrder | null {
    const body = this.readBody(res, what);
    if (!body) return null;
    if (typeof body.data !== 'object' || body.data === null || Array.isArray(body.data)) {
      throw new ConnectorOutcomeUnknownError(PLURAL_NAME, `${what} answered HTTP ${res.status} without an order`);
    }
    return body.data as PluralOrder;
  }

  private async issueToken(creds: PluralCredentials): Promise<IssuedToken> {
    const res = await this.http.send({
      connector: PLURAL_NAME,
      method: 'POST',
      url: `${creds.baseUrl}/api/auth/v1/token`,
      headers: requestHeaders(),
      json: { client_id: creds.clientId, client_secret: creds.clientSecret, grant_type: 'client_credentials' },
    });
    const body = this.readBody(res, 'token') as PluralTokenResponse | null;
    if (!body) {
      const { code, message } = errorFromBody(res.status, res.body);
      throw new ConnectorRequestError(PLURAL_NAME, connectorError(code, message, 'authentication'), res.status);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new ConnectorOutcomeUnknownError(PLURAL_NAME, 'token answered without access_token');
    }
    const lifetime = tokenLifetimeSeconds(body.expires_in, body.expires_at, Date.now()) ?? FALLBACK_TOKEN_SECONDS;
    return { accessToken: body.access_token, expiresInSeconds: lifetime };
  }
}
