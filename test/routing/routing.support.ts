import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { call, createMerchantWith, HttpResult, Merchant } from '../support/client';
import type { Stack } from '../support/stack';

export interface RoutingMerchant extends Merchant {
  profileId: string;
  /** label → merchant_connector_id */
  accounts: Record<string, string>;
}

export function genericAccount(baseUrl: string, label: string, clientId = `client_${label}`) {
  return {
    connector_type: 'payment_processor',
    connector_name: 'generic',
    connector_label: label,
    test_mode: true,
    connector_account_details: { auth_type: 'BodyKey', api_key: clientId, key1: 'sandbox_secret_123' },
    metadata: { base_url: baseUrl },
  };
}

export const sandboxBase = (stack: Stack) => `${stack.sandbox}/generic/pay/sandbox/api/v1`;

/**
 * A merchant holding several generic accounts (label → base URL and client id); the first is created with the merchant.
 * A client id starting with `invalid` makes the sandbox refuse the token request (a definite, retryable refusal).
 */
export async function merchantWithAccounts(
  stack: Stack,
  accounts: { label: string; baseUrl?: string; clientId?: string }[],
): Promise<RoutingMerchant> {
  const [first, ...rest] = accounts;
  const merchant = await createMerchantWith(stack, (id) =>
    genericAccount(first.baseUrl ?? sandboxBase(stack), first.label, first.clientId ?? `client_${id}_${first.label}`),
  );
  const created = await call(stack.api, 'GET', `/account/${merchant.merchantId}/connectors/${merchant.connectorId}`, {
    key: merchant.key,
  });
  const result: RoutingMerchant = {
    ...merchant,
    profileId: String(created.body.profile_id),
    accounts: { [first.label]: merchant.connectorId },
  };
  for (const a of rest) {
    const res = await call(stack.api, 'POST', `/account/${merchant.merchantId}/connectors`, {
      key: merchant.key,
      body: genericAccount(
        a.baseUrl ?? sandboxBase(stack),
        a.label,
        a.clientId ?? `client_${merchant.merchantId}_${a.label}`,
      ),
    });
    if (res.status !== 200) throw new Error(`create connector ${a.label}: ${JSON.stringify(res.body)}`);
    result.accounts[a.label] = String(res.body.merchant_connector_id);
  }
  return result;
}

export const choice = (m: RoutingMerchant, label: string) => ({
  connector: 'generic',
  merchant_connector_id: m.accounts[label],
});

/** Saves a config version and activates it; returns the saved config. */
export async function activateRouting(stack: Stack, m: RoutingMerchant, algorithm: unknown): Promise<HttpResult> {
  const saved = await call(stack.api, 'POST', '/routing', {
    key: m.key,
    body: { name: 'test', profile_id: m.profileId, algorithm },
  });
  if (saved.status !== 200) throw new Error(`save routing: ${JSON.stringify(saved.body)}`);
  const active = await call(stack.api, 'POST', `/routing/${String(saved.body.id)}/activate`, { key: m.key, body: {} });
  if (active.status !== 200) throw new Error(`activate routing: ${JSON.stringify(active.body)}`);
  return saved;
}

export function pay(stack: Stack, m: Merchant, amount: number, extra: Record<string, unknown> = {}) {
  return call(stack.api, 'POST', '/payments', {
    key: m.key,
    body: { amount, currency: 'USD', confirm: true, return_url: 'https://shop.example/done', ...extra },
  });
}

export interface Decision {
  algorithm: string;
  rule: string | null;
  routing_algorithm: { id: string; version: number } | null;
  candidates: { merchant_connector_id: string; eligible: boolean; skipped_reason: string | null; score?: number }[];
  selected: { merchant_connector_id: string };
  retry_of: string | null;
  retry_reason: string | null;
  circuit_panic: boolean;
  details: Record<string, unknown>;
}

export const decisionOf = (res: HttpResult) => res.body.routing_decision as Decision;
export const redirectOf = (res: HttpResult) => (res.body.next_action as { redirect_to_url: string }).redirect_to_url;

/**
 * A switchable stand-in in front of the sandbox: passes requests through, or answers every request 500 (a processor
 * outage) without forwarding it. Lets a test make one account's processor fail and recover while the other works.
 */
export async function startFlakyProxy(
  target: string,
): Promise<{ url: string; failing: boolean; close(): Promise<void> }> {
  const state = { failing: false };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (state.failing) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: { code: 500, error: ['Internal Server Error'] }, data: [], type: 'error' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) => typeof v === 'string' && !['host', 'content-length'].includes(k),
        ),
      ) as Record<string, string>;
      fetch(`${target}${req.url ?? ''}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
        .then(async (upstream) => {
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sets variables for the app about to start and gives back a function restoring them (jest workers are reused). */
export function withEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
