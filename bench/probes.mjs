// What the machine did during a step, read from outside the processes so nothing in the engine changes:
// CPU time per process (/proc/<pid>/stat), the API's resident memory (/proc/<pid>/status), SQL statements per
// Postgres role (pg_stat_statements), Redis commands (INFO commandstats) and the worker's queue backlog.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import Redis from 'ioredis';
import pg from 'pg';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of one process in ms, or 0 when it is gone; `kernelOnly` for stime alone. */
function cpuMs(pid, kernelOnly = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the command name may contain spaces
    return ((kernelOnly ? 0 : Number(fields[11])) + Number(fields[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return 0;
  }
}

export const processCpuMs = (pid) => cpuMs(pid);

/** Main thread of `pid`: ms running on a CPU and ms runnable but waiting for one (/proc/<pid>/task/<pid>/schedstat). */
function mainThreadSched(pid) {
  try {
    const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { run: runNs / 1e6, wait: waitNs / 1e6 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

/** CPU time (ms) the whole machine spent busy, all cores (/proc/stat: everything but idle and iowait). */
export function machineBusyMs() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal; guest time is already in user
  return ((total - fields[3] - fields[4]) * 1000) / CLOCK_TICKS;
}

/** Postgres is one postmaster plus one backend per connection: sum them all, keyed by pid. */
function postgresCpu(postmasterPid) {
  const byPid = { [postmasterPid]: cpuMs(postmasterPid) };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) byPid[entry] = cpuMs(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return byPid;
}

/**
 * CPU use per process over an interval, in % of one core (200 % = both cores of this machine). `pids` maps names
 * (api, worker, sandbox, floor, redis) to pids; `postmasterPid()` is read each time (Postgres writes it at start).
 */
export function cpuMeter({ pids, postmasterPid }) {
  const snapshot = () => ({
    at: performance.now(),
    self: process.cpuUsage(),
    named: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)])),
    kernel: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid, true)])),
    postgres: postgresCpu(postmasterPid()),
    machine: machineBusyMs(),
    sched: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, mainThreadSched(pid)])),
  });
  return {
    start: snapshot,
    since(before) {
      const after = snapshot();
      const wall = after.at - before.at;
      const pct = (ms) => Math.round((ms / wall) * 1000) / 10;
      const usage = { wall_ms: Math.round(wall) };
      for (const name of Object.keys(pids)) usage[name] = pct(after.named[name] - before.named[name]);
      let pgMs = 0;
      for (const [pid, ms] of Object.entries(after.postgres)) pgMs += ms - (before.postgres[pid] ?? 0);
      usage.postgres = pct(pgMs);
      const self = (after.self.user + after.self.system - before.self.user - before.self.system) / 1000;
      usage.load_generator = pct(self);
      // Whatever else ran on the machine meanwhile (other people's test runs share these cores): a step measured
      // next to a busy neighbour is slower than the engine is, and the report says so.
      usage.machine = pct(after.machine - before.machine);
      const ours = Object.entries(usage).reduce(
        (sum, [name, value]) => (name === 'machine' || name === 'wall_ms' ? sum : sum + value),
        0,
      );
      usage.other_processes = Math.max(0, Math.round((usage.machine - ours) * 10) / 10);
      // Kernel share of the Node processes: syscalls (loopback TCP to Postgres and Redis) are costly in this VM.
      usage.kernel = Object.fromEntries(
        Object.keys(pids).map((name) => [name, pct(after.kernel[name] - before.kernel[name])]),
      );
      // A Node server is one main thread: % of the step it ran, and % it was ready to run but had no CPU.
      usage.main_thread = {};
      for (const name of ['api', 'floor']) {
        const [a, b] = [before.sched[name], after.sched[name]];
        if (a) usage.main_thread[name] = { running: pct(b.run - a.run), waiting_for_cpu: pct(b.wait - a.wait) };
      }
      return usage;
    },
  };
}

/** Samples VmRSS every 250 ms; `stop()` returns the largest value seen, in MB. */
export function rssSampler(pid) {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, procStatusKb(pid, 'VmRSS') / 1024);
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Math.round(peak);
    },
  };
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), 0 when unknown. */
export function procStatusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Counters in Postgres and Redis; `snapshot()` before and `perPayment(before, payments)` after a step. */
export async function counters({ databaseUrl, redisUrl, roles }) {
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-probe' });
  await db.connect();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const roleOf = Object.fromEntries(Object.entries(roles).map(([process, role]) => [role, process]));

  async function snapshot() {
    const { rows } = await db.query(
      `SELECT r.rolname AS role, sum(s.calls)::bigint AS statements,
              coalesce(sum(s.calls) FILTER (WHERE s.query ILIKE 'commit%'), 0)::bigint AS commits
         FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid GROUP BY r.rolname`,
    );
    const sql = {};
    for (const row of rows) {
      if (roleOf[row.role])
        sql[roleOf[row.role]] = { statements: Number(row.statements), commits: Number(row.commits) };
    }
    // Payments the server actually created (the load generator's count of good answers may be smaller), WAL volume,
    // and background work that disturbs a step (checkpoints, autovacuum) so an odd step can be explained.
    const {
      rows: [pgRow],
    } = await db.query(
      `SELECT (SELECT count(*) FROM payment_intents)::bigint AS payments,
              (SELECT wal_bytes FROM pg_stat_wal)::bigint AS wal_bytes,
              (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::bigint AS checkpoints,
              (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)::bigint AS autovacuums`,
    );
    const pgCounts = Object.fromEntries(Object.entries(pgRow).map(([k, v]) => [k, Number(v)]));
    return { sql, ...pgCounts, redis: redisCalls(await redis.info('commandstats')) };
  }

  function perPayment(before, after) {
    const payments = after.payments - before.payments;
    const per = (n) => (payments > 0 ? Math.round((n / payments) * 100) / 100 : null);
    const result = { payments_created: payments, sql_statements: {}, sql_transactions: {} };
    for (const [process, now] of Object.entries(after.sql)) {
      const then = before.sql[process] ?? { statements: 0, commits: 0 };
      result.sql_statements[process] = per(now.statements - then.statements);
      result.sql_transactions[process] = per(now.commits - then.commits);
    }
    // Redis is shared by API and worker (the floor uses none); the profile mode splits it per process.
    result.redis_commands = per(after.redis - before.redis);
    result.wal_kb = per((after.wal_bytes - before.wal_bytes) / 1024);
    result.checkpoints_during_step = after.checkpoints - before.checkpoints;
    result.autovacuums_during_step = after.autovacuums - before.autovacuums;
    return result;
  }

  /** Jobs the worker has not finished yet (outgoing webhooks: one per payment). */
  async function backlog() {
    const [waiting, active] = await Promise.all([
      redis.llen('sy:outgoing-webhooks:wait'),
      redis.llen('sy:outgoing-webhooks:active'),
    ]);
    return waiting + active;
  }

  async function close() {
    await db.end().catch(() => {});
    redis.disconnect();
  }

  return { snapshot, perPayment, backlog, close, db, redis };
}

function redisCalls(info) {
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info') total += Number(match[2]); // our own probes
  }
  return total;
}
