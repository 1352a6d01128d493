// The verify run's own throwaway stack: build, embedded Postgres, a private Redis, migrations, then sandbox + API + worker
// as separate processes on spare ports (the crash check SIGKILLs and restarts them). Every output line of every process
// goes to a file under the run's log folder (stdout, stderr, and the LOG_FILE copy), which the secrets check scans.
// Built from the helpers of `npm start` / `npm test` (scripts/lib); everything started is stopped at shutdown.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForHttp } from '../../scripts/lib/demo.mjs';
import { phase, UserError } from '../../scripts/lib/output.mjs';
import { isRunning } from '../../scripts/lib/processes.mjs';
import {
  build,
  checkRedisUrl,
  DATA_DIR,
  ensureRedisServer,
  ENTRIES,
  findFreePort,
  generateSecrets,
  nodeArgs,
  onShutdown,
  requireEntry,
  ROOT,
  runMigrations,
  startPostgres,
  startRedis,
  stopLeftoverPostgres,
  stopLeftoverRedis,
} from '../../scripts/lib/services.mjs';

/** Settings of the run, printed in the results: short polling so "stuck" can be judged within minutes. */
export const RUN_SETTINGS = {
  PAYMENT_SYNC_SCHEDULE: '2,3,5',
  PAYMENT_SYNC_SWEEP_SECONDS: '10',
  MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,2,4,8,15,30,30,30',
  MERCHANT_WEBHOOK_TIMEOUT_MS: '2000',
  CONNECTOR_TIMEOUT_MS: '3000',
  LOG_LEVEL: 'debug',
  SANDBOX_HANG_MS: '4500',
  SANDBOX_PAYMENT_TTL_SECONDS: '45',
  SANDBOX_TOKEN_TTL_SECONDS: '30',
  SANDBOX_PENDING_POLLS: '2',
};

/** One app process (api, worker, sandbox): output appended to its log files, killable and restartable. */
export class AppProcess {
  constructor({ name, entry, env, logDir, ready }) {
    this.name = name;
    this.entry = entry;
    this.env = env;
    this.logDir = logDir;
    this.ready = ready;
    this.child = null;
    this.starts = 0;
    this.exits = [];
  }

  get pid() {
    return this.child?.pid ?? null;
  }

  running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  logFiles() {
    return {
      stdout: path.join(this.logDir, `${this.name}.stdout.log`),
      stderr: path.join(this.logDir, `${this.name}.stderr.log`),
      pino: path.join(this.logDir, `${this.name}.pino.log`),
    };
  }

  /** Starts the process (output appended to its files) and waits until it is ready. */
  async start(envPatch = {}) {
    if (this.running()) throw new Error(`${this.name} is already running`);
    const files = this.logFiles();
    const out = openSync(files.stdout, 'a');
    const err = openSync(files.stderr, 'a');
    this.env = { ...this.env, ...envPatch };
    const child = spawn(process.execPath, nodeArgs(this.entry), {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', out, err],
      detached: true, // own process group: a terminal Ctrl-C reaches the run script, which stops the apps in order
    });
    closeSync(out);
    closeSync(err);
    this.child = child;
    this.starts += 1;
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited.then((result) => {
      this.exits.push({ ...result, at: new Date().toISOString(), expected: this.expecting === true });
      this.expecting = false;
      return result;
    });
    const before = this.starts;
    await this.ready(this, () => this.running() && this.starts === before);
    if (!this.running()) {
      throw new UserError(`${this.name} exited while starting; see ${path.relative(ROOT, files.stderr)}`);
    }
  }

  /** SIGKILL, and wait for the exit. */
  async kill() {
    if (!this.running()) return;
    const exited = this.exited;
    this.expecting = true;
    try {
      process.kill(this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  }

  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000) {
    if (!this.running()) return;
    const exited = this.exited;
    this.expecting = true;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      await exited;
    }
  }

  /** Resident set size in kB (Linux /proc), or null. */
  rssKb() {
    if (!this.running()) return null;
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }
}

/** Waits until `file` has grown past `offset` with a line matching `pattern`. */
async function waitForLine(file, offset, pattern, stillWaiting, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWaiting()) {
    if (existsSync(file) && statSync(file).size > offset) {
      const text = readFileSync(file, 'utf8').slice(offset);
      if (pattern.test(text)) return;
    }
    await sleep(100);
  }
  if (stillWaiting()) throw new UserError(`no "${pattern.source}" in ${file} within ${timeoutMs / 1000} s`);
}

const sizeOf = (file) => (existsSync(file) ? statSync(file).size : 0);

/**
 * Everything the checks need: `{ api, worker, sandbox, urls, adminKey, secrets, databaseUrl, redisUrl, logDir }`.
 * DATABASE_URL / REDIS_URL in the environment are used instead of starting services (quick iteration).
 */
export async function startStack({ runDir, logDir }) {
  await removeStaleRuns();
  mkdirSync(logDir, { recursive: true });
  await phase('build', build, () => 'build ok (type check passed)');
  for (const entry of Object.values(ENTRIES)) requireEntry(entry);

  const secrets = generateSecrets();
  const databaseUrl = await phase(
    'postgres',
    async () => {
      if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
      const pg = await startPostgres({
        dataDir: path.join(runDir, 'postgres'),
        port: await findFreePort(0),
        password: secrets.PG_PASSWORD,
        database: 'switchyard_verify',
        persistent: false,
      });
      return pg.url;
    },
    (url) => (process.env.DATABASE_URL ? 'postgres: using DATABASE_URL' : `postgres on :${new URL(url).port}`),
  );
  const redisUrl = await phase(
    'redis',
    async () => {
      if (process.env.REDIS_URL) {
        await checkRedisUrl(process.env.REDIS_URL);
        return process.env.REDIS_URL;
      }
      const redis = await startRedis({ binary: await ensureRedisServer(), port: await findFreePort(0), dir: runDir });
      return redis.url;
    },
    (url) => (process.env.REDIS_URL ? 'redis: using REDIS_URL' : `redis on :${new URL(url).port}`),
  );

  const ports = { api: await findFreePort(0), sandbox: await findFreePort(0) };
  const urls = { api: `http://127.0.0.1:${ports.api}`, sandbox: `http://127.0.0.1:${ports.sandbox}` };
  const baseEnv = { ...process.env };
  delete baseEnv.DATABASE_URL;
  delete baseEnv.REDIS_URL;
  const appEnv = {
    ...baseEnv,
    NODE_ENV: 'production',
    PORT: String(ports.api),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ADMIN_API_KEY: secrets.ADMIN_API_KEY,
    MASTER_KEY: secrets.MASTER_KEY,
    API_KEY_HASH_SECRET: secrets.API_KEY_HASH_SECRET,
    PUBLIC_BASE_URL: urls.api,
    QUEUE_PREFIX: `verify${process.pid}`,
    LOG_TO_STDOUT: 'true',
    LOG_LEVEL: RUN_SETTINGS.LOG_LEVEL,
    PAYMENT_SYNC_SCHEDULE: RUN_SETTINGS.PAYMENT_SYNC_SCHEDULE,
    PAYMENT_SYNC_SWEEP_SECONDS: RUN_SETTINGS.PAYMENT_SYNC_SWEEP_SECONDS,
    MERCHANT_WEBHOOK_RETRY_SCHEDULE: RUN_SETTINGS.MERCHANT_WEBHOOK_RETRY_SCHEDULE,
    MERCHANT_WEBHOOK_TIMEOUT_MS: RUN_SETTINGS.MERCHANT_WEBHOOK_TIMEOUT_MS,
    CONNECTOR_TIMEOUT_MS: RUN_SETTINGS.CONNECTOR_TIMEOUT_MS,
  };
  await phase('migrations', () => runMigrations(appEnv));

  const stillWaiting = (alive) => () => alive();
  const sandbox = new AppProcess({
    name: 'sandbox',
    entry: ENTRIES.sandbox,
    logDir,
    env: {
      ...baseEnv,
      NODE_ENV: 'production',
      SANDBOX_PORT: String(ports.sandbox),
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_LOG: '1',
      SANDBOX_HANG_MS: RUN_SETTINGS.SANDBOX_HANG_MS,
      SANDBOX_PAYMENT_TTL_SECONDS: RUN_SETTINGS.SANDBOX_PAYMENT_TTL_SECONDS,
      SANDBOX_TOKEN_TTL_SECONDS: RUN_SETTINGS.SANDBOX_TOKEN_TTL_SECONDS,
      SANDBOX_PENDING_POLLS: RUN_SETTINGS.SANDBOX_PENDING_POLLS,
    },
    ready: (_app, alive) => waitForHttp(`${urls.sandbox}/`, { stillWaiting: stillWaiting(alive) }),
  });
  const api = new AppProcess({
    name: 'api',
    entry: ENTRIES.api,
    logDir,
    env: { ...appEnv, LOG_FILE: path.join(logDir, 'api.pino.log') },
    ready: (_app, alive) => waitForHttp(`${urls.api}/health/live`, { stillWaiting: stillWaiting(alive) }),
  });
  const worker = new AppProcess({
    name: 'worker',
    entry: ENTRIES.worker,
    logDir,
    env: { ...appEnv, LOG_FILE: path.join(logDir, 'worker.pino.log') },
    ready: async (app, alive) => {
      const file = app.logFiles().stdout;
      await waitForLine(file, app.readyOffset ?? 0, /switchyard worker started/, stillWaiting(alive));
    },
  });
  // The worker's readiness is the start line it prints; remember where this start's output begins.
  const startWorker = worker.start.bind(worker);
  worker.start = (patch) => {
    worker.readyOffset = sizeOf(worker.logFiles().stdout);
    return startWorker(patch);
  };
  const apps = [sandbox, api, worker];
  onShutdown(
    'apps',
    async () => {
      // The worker and the API first (they use the sandbox), then the sandbox.
      await Promise.all([worker.stop(), api.stop()]);
      await sandbox.stop();
    },
    () => {
      for (const app of apps) if (app.running()) process.kill(-app.pid, 'SIGKILL');
    },
  );
  await phase(
    'apps',
    async () => {
      await sandbox.start();
      await api.start();
      await worker.start();
    },
    () => `api on :${ports.api}, sandbox on :${ports.sandbox}, worker running`,
  );
  return {
    api,
    worker,
    sandbox,
    urls,
    adminKey: secrets.ADMIN_API_KEY,
    secrets,
    databaseUrl,
    redisUrl,
    logDir,
    appEnv,
  };
}

/** Folders of earlier verify runs whose process is gone: stop what they left running and delete them. */
async function removeStaleRuns() {
  mkdirSync(DATA_DIR, { recursive: true });
  for (const name of readdirSync(DATA_DIR)) {
    const pid = Number.parseInt(/^verify-(\d+)$/.exec(name)?.[1] ?? '', 10);
    if (!pid || pid === process.pid || isRunning(pid, 'verify/run.mjs')) continue;
    const dir = path.join(DATA_DIR, name);
    await stopLeftoverPostgres(path.join(dir, 'postgres'));
    await stopLeftoverRedis(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
