// HTTP helpers of the verify run: one JSON call helper, a retrying variant for calls that must survive API restarts,
// and a small concurrency pool.

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One request; never throws for an HTTP status. Network failures resolve `{ status: 0, error }`.
 * Returns `{ status, body, text, headers, error }` (body: parsed JSON or null).
 */
export async function call(base, method, path, options = {}) {
  const headers = { accept: 'application/json', ...options.headers };
  if (options.key) headers['api-key'] = options.key;
  let body;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: json, text, headers: res.headers, error: null };
  } catch (error) {
    return { status: 0, body: null, text: '', headers: new Headers(), error: describe(error) };
  }
}

export function describe(error) {
  const cause = error?.cause;
  return cause?.code ?? cause?.name ?? error?.name ?? String(error);
}

/**
 * A call a merchant's back end would retry: on a network failure, a 5xx, or 409 (same Idempotency-Key still running),
 * with backoff, until `deadlineMs` has passed. Returns the last answer and how many tries it took.
 */
export async function callWithRetry(base, method, path, options = {}, { deadlineMs = 60_000, retryOn409 = true } = {}) {
  const deadline = Date.now() + deadlineMs;
  let tries = 0;
  let delay = 200;
  for (;;) {
    tries += 1;
    const res = await call(base, method, path, options);
    const retryable = res.status === 0 || res.status >= 500 || (retryOn409 && res.status === 409);
    if (!retryable || Date.now() + delay > deadline) return { ...res, tries };
    await sleep(delay);
    delay = Math.min(delay * 2, 3000);
  }
}

/** Runs `task(item, index)` for every item with at most `limit` at once; resolves with the results in order. */
export async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  });
  await Promise.all(runners);
  return results;
}

export async function sandboxJson(sandboxUrl, path, init) {
  const res = await fetch(`${sandboxUrl}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`sandbox ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

export async function setChaos(sandboxUrl, config) {
  return sandboxJson(sandboxUrl, '/__sandbox/chaos', { method: 'POST', body: JSON.stringify(config) });
}

export async function resetChaos(sandboxUrl) {
  return sandboxJson(sandboxUrl, '/__sandbox/chaos/reset', { method: 'POST', body: '{}' });
}
