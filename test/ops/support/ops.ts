import { call, type HttpResult } from '../../support/client';
import type { Stack } from '../../support/stack';

export interface Item {
  id: string;
  title: string;
  status: 'pass' | 'fail';
  detail: string;
  action: string;
}

export interface Report {
  merchant_id: string;
  ready: boolean;
  items: Item[];
}

/** GET /account/{merchant_id}/go_live_check as a map item id → item. */
export async function goLive(stack: Stack, merchantId: string, key = stack.adminKey): Promise<Map<string, Item>> {
  const res = await call(stack.api, 'GET', `/account/${merchantId}/go_live_check`, { key });
  if (res.status !== 200) throw new Error(`go_live_check answered ${res.status}: ${JSON.stringify(res.body)}`);
  const report = res.body as unknown as Report;
  return new Map(report.items.map((i) => [i.id, i]));
}

export const statuses = (items: Map<string, Item>): Record<string, string> =>
  Object.fromEntries([...items].map(([id, item]) => [id, item.status]));

/** Live generic credentials on the TLS front's "live" gateway path. */
export function liveGeneric(frontUrl: string, clientId: string, secretId = 'live_secret_123') {
  return {
    connector_account_details: { auth_type: 'BodyKey', api_key: clientId, key1: secretId },
    metadata: { base_url: `${frontUrl}/generic/pay/api/v1` },
  };
}

export function promote(
  stack: Stack,
  merchantId: string,
  testAccountId: string,
  body: Record<string, unknown>,
  key = stack.adminKey,
): Promise<HttpResult> {
  return call(stack.api, 'POST', `/account/${merchantId}/connectors/${testAccountId}/promote`, { key, body });
}

export async function defaultProfileId(stack: Stack, merchantId: string): Promise<string> {
  const res = await call(stack.api, 'GET', `/accounts/${merchantId}`, { key: stack.adminKey });
  return String(res.body.default_profile);
}

export async function updateProfile(
  stack: Stack,
  merchantId: string,
  body: Record<string, unknown>,
): Promise<HttpResult> {
  const profileId = await defaultProfileId(stack, merchantId);
  const res = await call(stack.api, 'POST', `/account/${merchantId}/business_profile/${profileId}`, {
    key: stack.adminKey,
    body,
  });
  if (res.status !== 200) throw new Error(`profile update answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

export async function liveKey(stack: Stack, merchantId: string): Promise<{ key: string; keyId: string }> {
  const res = await call(stack.api, 'POST', `/api_keys/${merchantId}`, {
    key: stack.adminKey,
    body: { name: 'live', expiration: 'never', mode: 'live' },
  });
  if (res.status !== 200) throw new Error(`live key: ${JSON.stringify(res.body)}`);
  return { key: String(res.body.api_key), keyId: String(res.body.key_id) };
}
