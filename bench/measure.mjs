// One measured step (load + what the machine did meanwhile) and the rising ladder of steps, shared by the modes.

import { setTimeout as sleep } from 'node:timers/promises';
import { dim, info, UserError, warn } from '../scripts/lib/output.mjs';
import { runStep } from './load.mjs';
import { machineBusyMs, processCpuMs, rssSampler } from './probes.mjs';

// 50 first: on this machine the engine saturates between 100 and 200 (see bench/README.md).
export const DEFAULT_STEPS = [50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000];
export const P99_BAR_MS = 100;
const WARMUP = { rate: 50, seconds: 8 }; // below every target's capacity: a warm-up must not leave a queue behind
const DRAIN_TIMEOUT_MS = 30_000;

/** Steps and their length, overridable for quick runs: BENCH_STEPS=100,500 BENCH_STEP_SECONDS=5. */
export function ladderSettings(env = process.env) {
  const steps = env.BENCH_STEPS ? env.BENCH_STEPS.split(',').map(Number) : DEFAULT_STEPS;
  const seconds = env.BENCH_STEP_SECONDS ? Number(env.BENCH_STEP_SECONDS) : 10;
  if (steps.some((s) => !Number.isInteger(s) || s <= 0) || !(seconds >= 1)) {
    throw new UserError('BENCH_STEPS must be comma-separated positive integers, BENCH_STEP_SECONDS a number ≥ 1');
  }
  return { steps, seconds };
}

/** Sustained = achieved ≥ 95 % of offered, no error, p99 under the bar. */
export function sustained(step) {
  return (
    step.achieved_pps >= 0.95 * step.offered && step.errors === 0 && step.p99_ms !== null && step.p99_ms < P99_BAR_MS
  );
}

/**
 * Warms `target` up (JIT, pools, token cache), then runs the steps in rising order. It stops after two steps in a
 * row that are not sustained: beyond saturation more steps only pile up queues and time.
 */
export async function runLadder({ target, steps, seconds, probes, meter }) {
  await warmUp(target);
  const results = [];
  let misses = 0;
  for (const rate of steps) {
    let step = await measureStep({ target, rate, seconds, probes, meter });
    // The cores are shared: a step that failed next to a busy neighbour is measured again once the machine is quiet.
    for (let retry = 1; retry <= BUSY_RETRIES && !step.sustained && disturbed(step); retry++) {
      info(
        dim(`${stepLine(target.name, step)}
  … other processes were busy: measuring again when quiet`),
      );
      await waitForQuiet();
      step = { ...(await measureStep({ target, rate, seconds, probes, meter })), retries: retry };
    }
    results.push(step);
    info(stepLine(target.name, step));
    misses = step.sustained ? 0 : misses + 1;
    if (misses === 2 && rate !== steps.at(-1)) {
      info(dim(`  ${target.name}: two steps in a row not sustained: higher rates skipped`));
      break;
    }
  }
  return results;
}

/** JIT, connection pools, token cache: a few seconds of moderate load that is not measured. Fails if none succeeds. */
export async function warmUp(target) {
  const warm = await runStep({ url: target.url, apiKey: target.apiKey, rate: WARMUP.rate, seconds: WARMUP.seconds });
  if (warm.ok === 0) {
    throw new UserError(`${target.name}: no successful payment while warming up: ${warm.error_examples.join(' | ')}`);
  }
}

/** One step with the CPU of every process, the target's peak RSS, per-payment counts and the worker backlog. */
export async function measureStep({ target, rate, seconds, probes, meter, during }) {
  await drain(probes);
  await settle(target.pid);
  const counts = await probes.snapshot();
  const cpu = meter.start();
  const rss = rssSampler(target.pid);
  const [load] = await Promise.all([
    runStep({ url: target.url, apiKey: target.apiKey, rate, seconds }),
    during?.(seconds),
  ]);
  const usage = meter.since(cpu);
  const peakRss = rss.stop();
  const perPayment = probes.perPayment(counts, await probes.snapshot());
  const backlog = await probes.backlog();
  const step = { ...load, rss_mb: peakRss, cpu_pct: usage, per_payment: perPayment, worker_backlog: backlog };
  step.cpu_ms_per_payment = cpuPerPayment(usage, perPayment.payments_created);
  step.sustained = sustained(step);
  return step;
}

/** CPU milliseconds each process spent per payment created: the cost that decides throughput on shared cores. */
function cpuPerPayment(usage, payments) {
  if (!payments) return null;
  const names = ['api', 'floor', 'postgres', 'worker', 'redis', 'sandbox', 'load_generator'];
  const out = {};
  for (const name of names) out[name] = Math.round(((usage[name] / 100) * usage.wall_ms * 100) / payments) / 100;
  return out;
}

/** Waits (up to 20 s) until the target is idle: an overloaded step leaves accepted requests behind when it stops. */
async function settle(pid) {
  const deadline = Date.now() + 20_000;
  for (let busy = Infinity; busy > 5 && Date.now() < deadline;) {
    const before = processCpuMs(pid);
    await sleep(500);
    busy = ((processCpuMs(pid) - before) / 500) * 100; // % of one core
  }
}

/** Waits until the worker has caught up with the previous step (outgoing webhook jobs), up to 30 s. */
async function drain(probes) {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let left = await probes.backlog();
  while (left > 0 && Date.now() < deadline) {
    await sleep(250);
    left = await probes.backlog();
  }
  if (left > 0) warn(`the worker still has ${left} jobs queued after 30 s; measuring anyway`);
}

export function stepLine(name, s) {
  const cpu = s.cpu_pct;
  const proc = name === 'floor' ? 'floor' : 'api';
  const thread = cpu.main_thread[proc];
  const sql = s.per_payment.sql_statements[proc];
  return (
    `  ${name.padEnd(6)} ${String(s.offered).padStart(5)}/s → ${String(s.achieved_pps).padStart(6)}/s ` +
    `err ${s.errors}  p50 ${fmt(s.p50_ms)} p99 ${fmt(s.p99_ms)} overhead p99 ${fmt(s.overhead_p99_ms)}  ` +
    `rss ${s.rss_mb} MB  cpu% ${proc} ${cpu[proc]} (main thread waits ${thread.waiting_for_cpu}) pg ${cpu.postgres} ` +
    `worker ${cpu.worker} other ${cpu.other_processes}  sql/pay ${sql}  ` +
    `${s.sustained ? 'ok' : 'NOT sustained'}${disturbed(s) ? ' (busy machine)' : ''}`
  );
}

/** CPU used by other processes beyond which a step is flagged: the cores are shared, the figures are then low. */
export const BUSY_NEIGHBOUR_PCT = 20;
const BUSY_RETRIES = 2;
const QUIET_WAIT_MS = 120_000;

export const disturbed = (step) => step.cpu_pct.other_processes > BUSY_NEIGHBOUR_PCT;

/** Waits until the whole machine (our idle stack included) uses less than BUSY_NEIGHBOUR_PCT, up to 2 minutes. */
async function waitForQuiet() {
  const deadline = Date.now() + QUIET_WAIT_MS;
  while (Date.now() < deadline) {
    const before = machineBusyMs();
    await sleep(2000);
    if (((machineBusyMs() - before) / 2000) * 100 < BUSY_NEIGHBOUR_PCT) return;
  }
  warn('the machine stayed busy for 2 minutes: measuring anyway');
}

/** % of one core the machine is using before we start anything (other people's runs share these two cores). */
export async function backgroundLoad(ms = 3000) {
  const before = machineBusyMs();
  await sleep(ms);
  const pct = Math.round(((machineBusyMs() - before) / ms) * 1000) / 10;
  if (pct > BUSY_NEIGHBOUR_PCT) {
    warn(`other processes use ${pct} % of a core before the run: figures will be lower than on a quiet machine`);
  }
  return pct;
}

export const fmt = (ms) => (ms === null ? '     -' : `${ms.toFixed(1).padStart(6)}ms`);
