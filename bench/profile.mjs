// `npm run bench -- profile`: where the time goes at ~500 req/s. One engine step with the API main thread under the
// CPU profiler (through its inspector, so start-up is not in the profile), every SQL statement counted per payment
// and per process (pg_stat_statements, one Postgres role per process) and every Redis command attributed to the
// process that sent it (MONITOR + the socket owners from `ss`); then the same counts for one floor step.
// Writes bench/results/profile.json and bench/results/api.cpuprofile (open it in Chrome DevTools → Performance).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bold, info } from '../scripts/lib/output.mjs';
import { findFreePort, onShutdown } from '../scripts/lib/services.mjs';
import { connectInspector, summariseProfile } from './cpuprofile.mjs';
import { backgroundLoad, measureStep, stepLine, warmUp } from './measure.mjs';
import { git, instruments, machine, RESULTS_DIR } from './payments.mjs';
import { startStack } from './stack.mjs';

export async function main() {
  const rate = Number(process.env.BENCH_PROFILE_RATE ?? 500);
  const seconds = Number(process.env.BENCH_STEP_SECONDS ?? 15);
  const background = await backgroundLoad();
  const inspectPort = await findFreePort(0);
  const stack = await startStack({ apiNodeArgs: [`--inspect=127.0.0.1:${inspectPort}`], trackPlanning: true });
  const { probes, meter } = await instruments(stack);
  const inspector = await connectInspector(inspectPort);
  onShutdown('inspector', async () => inspector.close());
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 500 }); // µs
  const owners = { api: stack.api.pid, worker: stack.worker.pid, floor: stack.floor.pid, bench: process.pid };
  const redisPort = new URL(stack.redisUrl).port;

  const results = {};
  for (const name of ['engine', 'floor']) {
    const target = { name, url: name === 'engine' ? stack.api.url : stack.floor.url, apiKey: stack.apiKey };
    target.pid = name === 'engine' ? stack.api.pid : stack.floor.pid;
    info(bold(`\n${name}: ${rate} req/s for ${seconds} s, counting${name === 'engine' ? ' and profiling' : ''}`));
    await warmUp(target);
    const sqlBefore = await queryStats(probes.db);
    let profile = null;
    let redis = null;
    const step = await measureStep({
      target,
      rate,
      seconds,
      probes,
      meter,
      during: async (s) => {
        const monitor = await startMonitor(stack.redisUrl);
        if (name === 'engine') await inspector.send('Profiler.start');
        await sleep(s * 1000);
        if (name === 'engine') ({ profile } = await inspector.send('Profiler.stop'));
        redis = await monitor.stop(socketOwners(redisPort, owners));
      },
    });
    info(stepLine(name, step));
    const payments = step.per_payment.payments_created;
    results[name] = {
      step,
      sql: perPaymentQueries(sqlBefore, await queryStats(probes.db), payments, stack.roles),
      redis: perPaymentRedis(redis, payments),
      cpu: profile && summariseProfile(profile),
    };
    if (profile) writeFileSync(path.join(ensureDir(), 'api.cpuprofile'), JSON.stringify(profile));
  }
  const report = {
    rate,
    seconds,
    background_cpu_pct: background,
    ...results,
    commit: git(['rev-parse', 'HEAD']),
    machine: machine(),
  };
  report.timestamp = new Date().toISOString();
  writeFileSync(path.join(ensureDir(), 'profile.json'), `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
}

const ensureDir = () => (mkdirSync(RESULTS_DIR, { recursive: true }), RESULTS_DIR);

/** pg_stat_statements per (role, query): calls and total execution time. */
async function queryStats(db) {
  const { rows } = await db.query(
    `SELECT r.rolname AS role, s.queryid::text AS id, s.query, s.calls::bigint AS calls,
            s.total_exec_time + s.total_plan_time AS ms, s.total_plan_time AS plan_ms
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid`,
  );
  return new Map(rows.map((row) => [`${row.role}/${row.id}`, row]));
}

/** Per process: statements per payment, each with its calls per payment and mean execution time in Postgres. */
function perPaymentQueries(before, after, payments, roles) {
  const processOf = Object.fromEntries(Object.entries(roles).map(([process, role]) => [role, process]));
  const out = {};
  for (const [key, row] of after) {
    const process = processOf[row.role];
    const calls = Number(row.calls) - Number(before.get(key)?.calls ?? 0);
    if (!process || calls <= 0 || /pg_stat_statements|count\(\*\)/.test(row.query)) continue;
    const ms = row.ms - (before.get(key)?.ms ?? 0);
    const planMs = row.plan_ms - (before.get(key)?.plan_ms ?? 0);
    const entry = (out[process] ??= {
      statements_per_payment: 0,
      db_ms_per_payment: 0,
      plan_ms_per_payment: 0,
      queries: [],
    });
    entry.plan_ms_per_payment += planMs / payments;
    entry.queries.push({
      per_payment: round2(calls / payments),
      mean_ms: round2(ms / calls),
      query: row.query.replace(/\s+/g, ' ').slice(0, 160),
    });
    entry.statements_per_payment += calls / payments;
    entry.db_ms_per_payment += ms / payments;
  }
  for (const entry of Object.values(out)) {
    entry.statements_per_payment = round2(entry.statements_per_payment);
    entry.db_ms_per_payment = round2(entry.db_ms_per_payment);
    entry.plan_ms_per_payment = round2(entry.plan_ms_per_payment);
    entry.queries.sort((a, b) => b.per_payment - a.per_payment);
  }
  return out;
}

const round2 = (n) => Math.round(n * 100) / 100;

/** BullMQ runs Lua scripts by SHA: name them from the scripts the installed bullmq ships. */
function bullmqScriptNames() {
  const scripts = createRequire(import.meta.url)('bullmq/dist/cjs/scripts');
  return new Map(Object.values(scripts).map((s) => [createHash('sha1').update(s.content).digest('hex'), s.name]));
}

/**
 * Every command Redis executes, by client socket; commands run inside Lua scripts are reported as source "lua".
 * MONITOR is read on a plain socket: ioredis's monitor mode was seen to fail ("Command queue state error") when a
 * burst of monitor lines arrived with its acknowledgement.
 */
async function startMonitor(redisUrl) {
  const names = bullmqScriptNames();
  const { hostname, port } = new URL(redisUrl);
  const socket = net.connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write('MONITOR\r\n');
  const bySource = new Map();
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      // +1795304502.138449 [0 127.0.0.1:44732] "hmget" "key" …  (or [0 lua] inside scripts)
      const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "((?:[^"\\]|\\.)*)"(?: "((?:[^"\\]|\\.)*)")?/.exec(line);
      if (!match) continue;
      const [, source, first, second] = match;
      let command = first.toLowerCase();
      if (command === 'evalsha') command = `evalsha ${names.get(second) ?? String(second).slice(0, 8)}`;
      const counts = bySource.get(source) ?? new Map();
      counts.set(command, (counts.get(command) ?? 0) + 1);
      bySource.set(source, counts);
    }
  });
  socket.on('error', () => {});
  return {
    async stop(ownerOf) {
      socket.destroy();
      const byProcess = {};
      for (const [source, counts] of bySource) {
        const process = source === 'lua' ? 'inside Lua scripts' : (ownerOf.get(source.split(':').pop()) ?? 'other');
        const target = (byProcess[process] ??= new Map());
        for (const [command, n] of counts) target.set(command, (target.get(command) ?? 0) + n);
      }
      return byProcess;
    },
  };
}

/** Local port → process name for every TCP connection to Redis (from `ss`, which names the owning pid). */
function socketOwners(redisPort, owners) {
  const nameOf = new Map(Object.entries(owners).map(([name, pid]) => [String(pid), name]));
  const map = new Map();
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${redisPort} )`], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const match = /127\.0\.0\.1:(\d+)\s+\S+:\d+\s+users:\(\("[^"]+",pid=(\d+)/.exec(line);
    if (match) map.set(match[1], nameOf.get(match[2]) ?? `pid ${match[2]}`);
  }
  return map;
}

function perPaymentRedis(byProcess, payments) {
  const out = {};
  for (const [process, counts] of Object.entries(byProcess ?? {})) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    out[process] = {
      commands_per_payment: round2(total / payments),
      commands: [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([command, n]) => ({ command, per_payment: round2(n / payments) })),
    };
  }
  return out;
}

function printReport(report) {
  for (const name of ['engine', 'floor']) {
    const per = report[name].step.cpu_ms_per_payment ?? {};
    const text = Object.entries(per)
      .filter(([, ms]) => ms > 0)
      .map(([process, ms]) => `${process} ${ms}`)
      .join(', ');
    info(`${name}: CPU ms per payment: ${text}`);
  }
  const cpu = report.engine.cpu;
  const thread = report.engine.step.cpu_pct.main_thread.api;
  info(
    bold(`\nAPI main thread: running ${thread.running} %, waiting for a CPU ${thread.waiting_for_cpu} % of the step`),
  );
  info(
    `  profile: ${cpu.busyMs} ms not idle of ${cpu.totalMs} ms; native socket writes ${cpu.socketWritesPctOfBusy} % of that`,
  );
  info(`  (mostly run-queue wait after waking Postgres/Redis); shares below are of the rest (JavaScript work)`);
  info(`  special: ${JSON.stringify(cpu.special)}`);
  info(bold('  self time by layer'));
  for (const l of cpu.layersSelf.slice(0, 15)) info(`    ${String(l.self_pct).padStart(5)}  ${l.layer}`);
  info(bold('  on the stack, by layer'));
  for (const l of cpu.layersOnStack.slice(0, 15)) info(`    ${String(l.on_stack_pct).padStart(5)}  ${l.layer}`);
  info(bold('  top self time'));
  for (const f of cpu.topSelf.slice(0, 20)) info(`    ${String(f.self_pct).padStart(5)}  ${f.function}`);
  for (const name of ['engine', 'floor']) {
    for (const [process, sql] of Object.entries(report[name].sql)) {
      const head = `${sql.statements_per_payment} statements/payment, ${sql.db_ms_per_payment} ms planning+executing`;
      info(bold(`\n${name} SQL, ${process}: ${head} (planning ${sql.plan_ms_per_payment} ms)`));
      for (const q of sql.queries.slice(0, 25))
        info(`  ${String(q.per_payment).padStart(5)} × ${q.mean_ms} ms  ${q.query}`);
    }
    for (const [process, redis] of Object.entries(report[name].redis)) {
      const list = redis.commands.map((c) => `${c.command} ${c.per_payment}`).join(', ');
      info(`${name} Redis, ${process}: ${redis.commands_per_payment} commands/payment (${list})`);
    }
  }
  info(`\nprofile: bench/results/profile.json, bench/results/api.cpuprofile`);
}
