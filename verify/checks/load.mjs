// Check 8: load. The API and the worker restart with production settings (LOG_LEVEL=info, the default inquiry schedule),
// then an open-loop generator (undici) offers a fixed rate of create+confirm payments (generic sandbox) for a warm-up
// and for the measured window. Marks: the rate is held (answered 2xx per second of wall time, first request to last
// answer, ≥ 97 % of the target), no error, timeout or non-2xx answer, and the API's memory does not grow without bound:
// RSS sampled every 5 s, the last-30 s average ≤ 1.25 × the first-30 s average.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { createMerchant, RETURN_URL } from '../lib/setup.mjs';

const PRODUCTION = { LOG_LEVEL: 'info', PAYMENT_SYNC_SCHEDULE: '30,60,120,300,600,1800,3600' };

/**
 * An open-loop load: request `i` is due at `i / rate` seconds, whatever happened to the earlier ones (a closed-loop tool
 * waits for answers and so hides a slow server; autocannon's `overallRate` also sends each second's quota as one burst).
 * Latency counts from the moment a request was due. Returns counts, latency percentiles and the wall time from the first
 * request to the last answer.
 */
async function fire(url, key, rate, seconds) {
  const pool = new Pool(url, { connections: 64 });
  const body = JSON.stringify({ amount: 1000, currency: 'USD', confirm: true, return_url: RETURN_URL });
  const headers = { 'content-type': 'application/json', 'api-key': key };
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statusCodes = {};
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();
  const one = async (due) => {
    try {
      const res = await pool.request({
        path: '/payments',
        method: 'POST',
        headers,
        body,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.text();
      statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
    } catch (error) {
      if (/Timeout/.test(error?.name ?? '') || /timeout/i.test(error?.code ?? '')) timeouts += 1;
      else errors += 1;
    }
    latencies.push(performance.now() - due);
  };
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const ok = Object.entries(statusCodes)
    .filter(([code]) => code.startsWith('2'))
    .reduce((n, [, count]) => n + count, 0);
  return {
    total,
    ok,
    errors,
    timeouts,
    non2xx: total - ok - errors - timeouts,
    statusCodes,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
    seconds: elapsed,
  };
}

const average = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export async function loadCheck(stack, { durationSeconds, rate, warmupSeconds = 20 }) {
  await stack.worker.stop();
  await stack.api.stop();
  await stack.api.start(PRODUCTION);
  await stack.worker.start(PRODUCTION);
  const merchant = await createMerchant(stack, { connector: 'generic', label: 'load' });

  const warmup = await fire(stack.urls.api, merchant.key, rate, warmupSeconds);
  const samples = [];
  const started = Date.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(5000);
      if (!sampling) break;
      samples.push({
        t: Math.round((Date.now() - started) / 1000),
        apiKb: stack.api.rssKb(),
        workerKb: stack.worker.rssKb(),
        loadavg1m: Number(loadavg()[0].toFixed(2)),
      });
    }
  })();
  const result = await fire(stack.urls.api, merchant.key, rate, durationSeconds);
  sampling = false;
  await sampler;

  const first = samples.filter((s) => s.t <= 30).map((s) => s.apiKb);
  const last = samples.filter((s) => s.t >= durationSeconds - 30).map((s) => s.apiKb);
  const ratio = average(last) / average(first);
  const achieved = result.ok / result.seconds;
  const failures = result.errors + result.timeouts + result.non2xx;
  return {
    figures: [
      {
        name: `create+confirm payments/s held for ${durationSeconds} s (target ${rate})`,
        value: achieved.toFixed(1),
        mark: `≥ ${(rate * 0.97).toFixed(1)}`,
        pass: achieved >= rate * 0.97,
      },
      { name: 'errors, timeouts and non-2xx answers', value: failures, mark: '= 0', pass: failures === 0 },
      {
        name: 'API RSS, last 30 s / first 30 s',
        value: ratio.toFixed(3),
        mark: '≤ 1.25',
        pass: Number.isFinite(ratio) && ratio <= 1.25,
      },
    ],
    details: {
      settings: PRODUCTION,
      rate,
      requests: result.total,
      seconds: result.seconds,
      latencyMsFromDueTime: { p50: result.p50, p99: result.p99, max: result.max },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes: result.statusCodes,
      warmup: { requests: warmup.total, non2xx: warmup.non2xx, errors: warmup.errors, p99: warmup.p99 },
      rssSamples: samples,
      firstAvgKb: Math.round(average(first)),
      lastAvgKb: Math.round(average(last)),
    },
  };
}
