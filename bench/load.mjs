// Fixed-rate load steps with autocannon: create+confirm payments at an offered rate, and per response the latency,
// the status, the body's payment status and the `x-switchyard-latency` header.
//
// Why several staggered autocannon instances: autocannon's overallRate is a per-connection quota that resets every
// second on a timer started when the client is created, so one instance sends the whole second's quota in a burst at
// the top of each second (measured here against an empty server: at 500 req/s, all 500 within ~100 ms, then nothing).
// That burst, not the server, would set p99. SUB_GENERATORS instances started 1000/SUB_GENERATORS ms apart turn it
// into small bursts every 50 ms (25 requests per 50 ms at 500 req/s), close to a steady arrival rate.
// Connections: one per REQUESTS_PER_CONNECTION requests/s, so the rate is not connection-bound until a request takes
// 1/REQUESTS_PER_CONNECTION s, far beyond the 100 ms bar.
// Each instance gets `amount` = rate × seconds, spread evenly over its connections, instead of a duration: with a
// duration autocannon often starts one more quota window as it ends (its 1 s timer races the stop timer), which
// offered up to one extra second of load after the step. A hard stop still ends an overloaded step on time.

import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';

const SUB_GENERATORS = 20;
const REQUESTS_PER_CONNECTION = 2;
const GRACE_SECONDS = 3; // an overloaded step is cut off this long after its last quota window
const TIMEOUT_SECONDS = 10;
const STEADY_AFTER_S = 5;
const PAYMENT = JSON.stringify({ amount: 1000, currency: 'USD', confirm: true, return_url: 'https://example.com/r' });
const EXPECTED_STATUS = 'requires_customer_action';

/**
 * Drives `rate` POST /payments per second at `url` for `seconds`, then returns the step's figures. A payment counts as
 * achieved only with HTTP 2xx and status requires_customer_action; anything else is an error of some kind.
 */
export async function runStep({ url, apiKey, rate, seconds }) {
  const tally = { latencies: [], overheads: [], sent: [], ok: 0, http: 0, wrongStatus: 0, transport: 0 };
  const started = performance.now();
  const examples = new Map();
  // Sub-rates that are multiples of REQUESTS_PER_CONNECTION, so `amount` divides evenly over the connections.
  const perConnection = rate % REQUESTS_PER_CONNECTION === 0 ? REQUESTS_PER_CONNECTION : 1;
  const rates = split(rate / perConnection, Math.min(SUB_GENERATORS, rate / perConnection))
    .filter((r) => r > 0)
    .map((r) => r * perConnection);
  const runs = rates.map(async (subRate, index) => {
    await sleep((index * 1000) / rates.length);
    return drive({ url, apiKey, rate: subRate, perConnection, seconds, tally, examples });
  });
  await Promise.all(runs);
  const latencies = sorted(tally.latencies);
  const overheads = sorted(tally.overheads);
  const errors = tally.http + tally.wrongStatus + tally.transport;
  return {
    offered: rate,
    seconds,
    ok: tally.ok,
    errors,
    error_kinds: { http_status: tally.http, wrong_status: tally.wrongStatus, transport: tally.transport },
    error_examples: [...examples.values()],
    achieved_pps: round(tally.ok / seconds),
    p50_ms: round(percentile(latencies, 50)),
    p90_ms: round(percentile(latencies, 90)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.at(-1) ?? null),
    overhead_p50_ms: round(percentile(overheads, 50)),
    overhead_p99_ms: round(percentile(overheads, 99)),
    // The step without its first STEADY_AFTER_S seconds (requests sent later): tells a start-up transient from a
    // rate the target cannot hold. Reported beside p99, never instead of it.
    steady_p99_ms: round(
      percentile(sorted(tally.latencies.filter((_, i) => tally.sent[i] - started >= STEADY_AFTER_S * 1000)), 99),
    ),
    timeline: timeline(tally, started),
  };
}

/** Per second of the step (by send time): answers and their p50/p99, to tell a steady queue from stalls. */
function timeline(tally, started) {
  const buckets = [];
  tally.sent.forEach((sentAt, i) => {
    const second = Math.max(0, Math.floor((sentAt - started) / 1000));
    (buckets[second] ??= []).push(tally.latencies[i]);
  });
  return [...buckets].map((values = [], second) => {
    const v = sorted(values);
    return { second, n: v.length, p50_ms: round(percentile(v, 50)), p99_ms: round(percentile(v, 99)) };
  });
}

function drive({ url, apiKey, rate, perConnection, seconds, tally, examples }) {
  // Only requests sent within `seconds` of this instance's start count: a late one means the server fell behind.
  const cutoff = performance.now() + seconds * 1000 - 50;
  // onResponse runs just before the instance's 'response' event for the same response: it classifies, the event
  // (which carries the response time, hence the send time) tallies.
  let last = null;
  const instance = autocannon({
    url,
    connections: rate / perConnection,
    overallRate: rate,
    amount: rate * seconds,
    timeout: TIMEOUT_SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/payments',
        headers: { 'content-type': 'application/json', 'api-key': apiKey },
        body: PAYMENT,
        onResponse: (status, body, _context, headers) => {
          last = classify(status, body, headers);
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    const outcome = last;
    last = null;
    if (!outcome || performance.now() - responseTime > cutoff) return;
    if (outcome.kind === 'ok') {
      tally.ok += 1;
      tally.latencies.push(responseTime);
      tally.sent.push(performance.now() - responseTime);
      if (Number.isFinite(outcome.overhead)) tally.overheads.push(outcome.overhead);
      return;
    }
    tally[outcome.kind] += 1;
    remember(examples, outcome.example);
  });
  const hardStop = setTimeout(() => instance.stop(), (seconds + GRACE_SECONDS) * 1000);
  instance.on('done', () => clearTimeout(hardStop));
  instance.on('reqError', (error) => {
    tally.transport += 1;
    remember(examples, `transport: ${error.message}`);
  });
  return instance;
}

function classify(status, body, headers) {
  if (status < 200 || status > 299) return { kind: 'http', example: `HTTP ${status}: ${body.slice(0, 200)}` };
  let paymentStatus;
  try {
    paymentStatus = JSON.parse(body).status;
  } catch {
    paymentStatus = '(unreadable body)';
  }
  if (paymentStatus !== EXPECTED_STATUS) {
    return { kind: 'wrongStatus', example: `HTTP ${status} with status ${paymentStatus}` };
  }
  return { kind: 'ok', overhead: Number(headers['x-switchyard-latency']) };
}

function remember(examples, text) {
  if (examples.size < 3 && !examples.has(text)) examples.set(text, text);
}

/** `total` split into `parts` integers that differ by at most one. */
function split(total, parts) {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

const sorted = (values) => Float64Array.from(values).sort();

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(ascending, p) {
  if (ascending.length === 0) return null;
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(ascending.length - 1, Math.max(0, rank - 1))];
}

export const round = (value, digits = 1) =>
  value === null || value === undefined ? null : Number(value.toFixed(digits));
