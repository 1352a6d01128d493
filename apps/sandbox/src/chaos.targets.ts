/**
 * What the fault injector (chaos.ts) needs to know about each processor: which paths are its API (hosted pages and control
 * routes are never touched), which path issues tokens, how it writes a 5xx/504 body, and how to revoke one access token.
 * Written here from the processors' wire formats, like the rest of the sandbox.
 */
import type { GenericStore } from './generic/generic.store';
import type { PluralStore } from './plural/plural.store';

export interface ChaosTarget {
  /** Processor name, the first path segment (`generic`, `plural`, `tap`). */
  readonly name: string;
  /** Requests whose path starts with one of these are the processor's API and may be disturbed. */
  readonly apiPrefixes: readonly string[];
  /** Token endpoints: never answered with a revoked token (there is none yet). */
  readonly tokenPaths: readonly RegExp[];
  /** The processor's own error body for a 5xx or 504 answer. */
  errorBody(status: 500 | 504): string;
  /** Revokes the access token a request presents ("expired mid-flight"); false when there is none to revoke. */
  revokeToken?(accessToken: string): boolean;
}

export function chaosTargets(stores: { generic: GenericStore; plural: PluralStore }): ChaosTarget[] {
  const text = (status: 500 | 504): string => (status === 500 ? 'Internal Server Error' : 'Gateway Timeout');
  return [
    {
      name: 'generic',
      apiPrefixes: ['/generic/pay/'],
      tokenPaths: [/\/authentication\/token$/],
      errorBody: (status) =>
        JSON.stringify({ message: { code: status, error: [text(status)] }, data: [], type: 'error' }),
      revokeToken: (accessToken) => revoke(stores.generic.findActiveToken(accessToken)),
    },
    {
      name: 'plural',
      apiPrefixes: ['/plural/api/'],
      tokenPaths: [/\/api\/auth\/v1\/token$/],
      errorBody: (status) =>
        JSON.stringify({
          code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'GATEWAY_TIMEOUT',
          message: text(status),
        }),
      revokeToken: (accessToken) => revoke(stores.plural.findActiveToken(accessToken)),
    },
    {
      // Tap authenticates with the merchant's static secret key: there is no token to expire.
      name: 'tap',
      apiPrefixes: ['/tap/v2/'],
      tokenPaths: [],
      errorBody: (status) => JSON.stringify({ errors: [{ code: '9999', description: text(status) }] }),
    },
  ];
}

function revoke(token: { revoked: boolean } | undefined): boolean {
  if (!token) return false;
  token.revoked = true;
  return true;
}
