// `npm run bench` (mode `payments`): the engine and the floor through the same rising ladder of fixed-rate steps on one
// throwaway stack, then bench/results/latest.json, bench/results/latency.svg and a table with the issue's bars.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bold, green, info, red } from '../scripts/lib/output.mjs';
import { onShutdown, ROOT } from '../scripts/lib/services.mjs';
import { latencyChart } from './chart.mjs';
import { backgroundLoad, disturbed, fmt, ladderSettings, runLadder } from './measure.mjs';
import { counters, cpuMeter, procStatusKb } from './probes.mjs';
import { startStack } from './stack.mjs';

export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

export const BARS = [
  { key: 'throughput_pps', label: 'sustained payments/s ≥ 500', ok: (v) => v >= 500 },
  { key: 'p99_overhead_ms', label: 'p99 overhead < 25 ms', ok: (v) => v !== null && v < 25 },
  { key: 'floor_ratio', label: 'throughput ≥ 60 % of the floor', ok: (v) => v !== null && v >= 0.6 },
  { key: 'peak_rss_mb', label: 'API peak RSS < 300 MB', ok: (v) => v < 300 },
];

export async function main() {
  const { steps, seconds } = ladderSettings();
  const background = await backgroundLoad();
  const stack = await startStack();
  const { probes, meter } = await instruments(stack);
  const idleRssMb = Math.round(procStatusKb(stack.api.pid, 'VmRSS') / 1024); // before any payment: the baseline

  info(bold(`\nengine: POST /payments (create+confirm) at ${steps.join(', ')} req/s, ${seconds} s each`));
  const engineTarget = { name: 'engine', url: stack.api.url, pid: stack.api.pid, apiKey: stack.apiKey };
  const engine = await runLadder({ target: engineTarget, steps, seconds, probes, meter });
  const peakRssMb = Math.round(procStatusKb(stack.api.pid, 'VmHWM') / 1024);

  info(bold(`\nfloor: the same payments on plain node:http + pg + undici`));
  const floorTarget = { name: 'floor', url: stack.floor.url, pid: stack.floor.pid, apiKey: stack.apiKey };
  const floor = await runLadder({ target: floorTarget, steps, seconds, probes, meter });

  const results = summarise({ engine, floor, peakRssMb, idleRssMb, steps, seconds, background });
  writeResults(results);
  printSummary(results);
}

/** Probes (Postgres, Redis) and the CPU meter over every process of the stack. */
export async function instruments(stack) {
  const probes = await counters({ databaseUrl: stack.db.url, redisUrl: stack.redisUrl, roles: stack.roles });
  onShutdown('probes', () => probes.close()); // registered after the stack: closed before it stops
  const pids = {
    api: stack.api.pid,
    worker: stack.worker.pid,
    sandbox: stack.sandbox.pid,
    floor: stack.floor.pid,
    redis: stack.redis.pid,
  };
  const postmasterPid = () => Number((readFirstLine(stack.db.pidFile) ?? '0').trim());
  return { probes, meter: cpuMeter({ pids, postmasterPid }) };
}

function readFirstLine(file) {
  try {
    return readFileSync(file, 'utf8').split('\n')[0];
  } catch {
    return null;
  }
}

function best(steps) {
  return steps.filter((s) => s.sustained).sort((a, b) => b.achieved_pps - a.achieved_pps)[0] ?? null;
}

/** The highest error-free step whose requests sent from 5 s on had p99 < 100 ms (start-up transient left out). */
function steady(steps) {
  return Math.max(
    0,
    ...steps
      .filter(
        (s) =>
          s.errors === 0 && s.steady_p99_ms !== null && s.steady_p99_ms < 100 && s.achieved_pps >= 0.95 * s.offered,
      )
      .map((s) => s.achieved_pps),
  );
}

/** Capacity regardless of latency: the most payments/s any error-free step achieved. */
function capacity(steps) {
  return Math.max(0, ...steps.filter((s) => s.errors === 0).map((s) => s.achieved_pps));
}

function summarise({ engine, floor, peakRssMb, idleRssMb, steps, seconds, background }) {
  const top = best(engine);
  const floorTop = best(floor);
  const throughput = top?.achieved_pps ?? 0;
  const floorPps = floorTop?.achieved_pps ?? 0;
  const at500 = engine.find((s) => s.offered === 500) ?? null;
  // Latency figures come from the sustained step; when none is sustained, from the lowest step (and say so).
  const shown = top ?? engine[0];
  const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  return {
    throughput_pps: throughput,
    p50_ms: shown?.p50_ms ?? null,
    p99_ms: shown?.p99_ms ?? null,
    p99_overhead_ms: shown?.overhead_p99_ms ?? null,
    latency_measured_at_pps: shown?.offered ?? null,
    floor_pps: floorPps,
    floor_ratio: ratio(throughput, floorPps),
    steady_pps: steady(engine),
    floor_steady_pps: steady(floor),
    capacity_pps: capacity(engine),
    floor_capacity_pps: capacity(floor),
    capacity_ratio: ratio(capacity(engine), capacity(floor)),
    // The floor may sustain the highest step offered: floor_pps is then a lower bound and the ratio an upper one.
    floor_capped: floorTop !== null && floorTop.offered === steps.at(-1),
    peak_rss_mb: peakRssMb,
    // The bar asks for RSS "at that rate": the peak over the ladder includes the overloaded steps after it.
    rss_at_sustained_mb: top?.rss_mb ?? null,
    idle_rss_mb: idleRssMb,
    per_payment: shown?.per_payment ?? null,
    cpu_ms_per_payment: shown?.cpu_ms_per_payment ?? null,
    floor_per_payment: (floorTop ?? floor[0])?.per_payment ?? null,
    floor_cpu_ms_per_payment: (floorTop ?? floor[0])?.cpu_ms_per_payment ?? null,
    at_500: at500 && {
      achieved_pps: at500.achieved_pps,
      p99_ms: at500.p99_ms,
      overhead_p99_ms: at500.overhead_p99_ms,
      rss_mb: at500.rss_mb,
      cpu_pct: at500.cpu_pct,
    },
    definition:
      'sustained = highest step with achieved ≥ 95 % of offered, no errors and p99 < 100 ms; achieved counts HTTP 2xx ' +
      'answers with status requires_customer_action; overhead = x-switchyard-latency (connector time excluded)',
    step_seconds: seconds,
    // Other processes' CPU (% of one core) before the run and during the steps: the two cores are shared.
    background_cpu_pct: background,
    disturbed_steps: [...engine, ...floor].filter(disturbed).length,
    steps: [...engine.map((s) => ({ target: 'engine', ...s })), ...floor.map((s) => ({ target: 'floor', ...s }))],
    commit: git(['rev-parse', 'HEAD']),
    uncommitted_changes: (git(['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length,
    machine: machine(),
    timestamp: new Date().toISOString(),
  };
}

export function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function writeResults(results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  // A dated copy too, to compare runs before and after a design change.
  writeFileSync(path.join(RESULTS_DIR, `payments-${results.timestamp.replace(/[:.]/g, '-')}.json`), json);
  const series = {
    engine: results.steps.filter((s) => s.target === 'engine'),
    floor: results.steps.filter((s) => s.target === 'floor'),
  };
  const title = `POST /payments latency vs offered rate (${(results.commit ?? 'unknown').slice(0, 8)}, ${results.timestamp.slice(0, 10)})`;
  writeFileSync(path.join(RESULTS_DIR, 'latency.svg'), latencyChart({ series, title, disturbed }));
}

function printSummary(r) {
  const rows = [
    ['sustained payments/s (p99 < 100 ms)', r.throughput_pps],
    [`p50 / p99 latency at ${r.latency_measured_at_pps}/s`, `${fmt(r.p50_ms)} / ${fmt(r.p99_ms)}`],
    [`p99 overhead at ${r.latency_measured_at_pps}/s (x-switchyard-latency)`, fmt(r.p99_overhead_ms)],
    ['floor payments/s', `${r.floor_pps}${r.floor_capped ? ' (capped by the highest step)' : ''}`],
    ['floor ratio', r.floor_ratio ?? '-'],
    [
      'steady state (from 5 s into a step, p99 < 100 ms)',
      `engine ${r.steady_pps} / floor ${r.floor_steady_pps} (not a bar: see bench/README.md)`,
    ],
    ['capacity, any latency: engine / floor', `${r.capacity_pps} / ${r.floor_capacity_pps} (${r.capacity_ratio})`],
    ['CPU ms per payment (engine)', cpuText(r.cpu_ms_per_payment)],
    ['CPU ms per payment (floor)', cpuText(r.floor_cpu_ms_per_payment)],
    ['API peak RSS (VmHWM) / after start-up', `${r.peak_rss_mb} MB / ${r.idle_rss_mb} MB`],
    [`API peak RSS during the sustained step`, r.rss_at_sustained_mb === null ? '—' : `${r.rss_at_sustained_mb} MB`],
    ['SQL statements per payment (api/worker)', perPaymentText(r.per_payment)],
    ['SQL statements per payment (floor)', r.floor_per_payment?.sql_statements.floor ?? '-'],
  ];
  info(bold('\nresult'));
  for (const [label, value] of rows) info(`  ${label.padEnd(48)} ${value}`);
  if (r.disturbed_steps > 0) {
    info(red(`  ${r.disturbed_steps} step(s) ran next to other busy processes: see cpu_pct.other_processes`));
  }
  info(bold('\nthe bars (issue 8)'));
  for (const bar of BARS) {
    const value = r[bar.key];
    info(`  ${bar.ok(value) ? green('met   ') : red('missed')} ${bar.label.padEnd(34)} (${value ?? '-'})`);
  }
  info(`\nresults: ${path.relative(ROOT, path.join(RESULTS_DIR, 'latest.json'))}, chart: bench/results/latency.svg`);
}

function cpuText(per) {
  if (!per) return '-';
  const parts = Object.entries(per).filter(([, ms]) => ms >= 0.05);
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return `${Math.round(total * 10) / 10} (${parts.map(([name, ms]) => `${name} ${ms}`).join(', ')})`;
}

function perPaymentText(p) {
  if (!p) return '-';
  return `${p.sql_statements.api ?? '-'} / ${p.sql_statements.worker ?? '-'}; redis commands ${p.redis_commands}`;
}
