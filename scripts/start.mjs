// `npm start`: the whole local Switchyard from a fresh clone, in one command. Installs dependencies, builds, starts
// an embedded Postgres and a private Redis (unless DATABASE_URL / REDIS_URL say otherwise), migrates, runs the API,
// the worker and the connector sandbox, seeds a demo merchant through the API and prints how to try a payment.
// Ctrl-C stops everything it started. See docs/running.md.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { printBanner, seedDemo, waitForHttp } from './lib/demo.mjs';
import { cyan, dim, green, info, phase, UserError, warn, yellow } from './lib/output.mjs';
import { isRunning, isShuttingDown, terminatePid } from './lib/processes.mjs';
import {
  build,
  checkNodeVersion,
  checkRedisUrl,
  DATA_DIR,
  ensureDependencies,
  ensureRedisServer,
  ENTRIES,
  fail,
  findFreePort,
  installShutdownHandlers,
  loadLocalSecrets,
  nodeArgs,
  onShutdown,
  readJson,
  requireEntry,
  ROOT,
  runMigrations,
  shutdown,
  spawnChild,
  startPostgres,
  startRedis,
  stopLeftoverPostgres,
  stopLeftoverRedis,
} from './lib/services.mjs';

const PG_DIR = path.join(DATA_DIR, 'postgres');
const LOCAL_FILE = path.join(DATA_DIR, 'local.json');
const DEMO_FILE = path.join(DATA_DIR, 'demo.json');
const LOCK_FILE = path.join(DATA_DIR, 'start.pid');

async function main() {
  checkNodeVersion();
  // Ctrl-C / SIGTERM is the normal way to stop the demo: exit 0 once everything is down.
  installShutdownHandlers({ exitCodeOnSignal: 0 });
  await takeLock();

  await phase('dependencies', ensureDependencies, (summary) => summary);
  await phase('build', build);
  for (const entry of [ENTRIES.migrate, ENTRIES.sandbox, ENTRIES.api, ENTRIES.worker]) requireEntry(entry);

  const { values: secrets, fromEnv } = loadLocalSecrets(LOCAL_FILE);

  const databaseUrl = await phase('postgres', () => provideDatabase(secrets.PG_PASSWORD), describeDatabase);
  const redisUrl = await phase('redis', provideRedis, describeRedis);

  const ports = await choosePorts();
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const appEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(ports.api),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ADMIN_API_KEY: secrets.ADMIN_API_KEY,
    MASTER_KEY: secrets.MASTER_KEY,
    API_KEY_HASH_SECRET: secrets.API_KEY_HASH_SECRET,
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || apiUrl,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  };

  await phase('migrations', () => runMigrations(appEnv));

  await phase(
    'apps',
    () => startAppsAndWait(appEnv, ports, { apiUrl, sandboxUrl }),
    () => `api on :${ports.api}, sandbox on :${ports.sandbox}, worker running`,
  );

  const demo = await phase(
    'demo merchant',
    () => seedDemo({ apiUrl, adminKey: secrets.ADMIN_API_KEY, sandboxUrl, demoFile: DEMO_FILE }),
    () => 'demo merchant ready',
  );
  printBanner({
    apiUrl,
    sandboxUrl,
    demo,
    adminKeyFromEnv: fromEnv.includes('ADMIN_API_KEY'),
    databaseUrl,
    redisUrl,
  });
  // From here the child processes keep the event loop alive; Ctrl-C or a crashing child ends the run.
}

// ---------------------------------------------------------------------------------------------------------------------
// One `npm start` per checkout: the embedded Postgres data folder can only be used by one server.

/**
 * Writes .data/start.pid (`{ pid, apps }`). If another `npm start` of this checkout is running, stop with a clear
 * message; if the last one was killed hard (kill -9), first stop what it left behind: its apps, Postgres and Redis.
 */
async function takeLock() {
  mkdirSync(DATA_DIR, { recursive: true });
  const previous = readJson(LOCK_FILE);
  if (previous && previous.pid !== process.pid && isRunning(previous.pid, 'start.mjs')) {
    throw new UserError(`Switchyard is already running here (pid ${previous.pid}): stop it first (Ctrl-C).`);
  }
  await stopLeftovers(previous?.apps ?? []);
  writeLock([]);
  process.on('exit', () => {
    if (readJson(LOCK_FILE)?.pid === process.pid) rmSync(LOCK_FILE, { force: true });
  });
}

/** Records the app PIDs too, so a run after a kill -9 can stop them (they run in their own process groups). */
function writeLock(apps) {
  writeFileSync(LOCK_FILE, JSON.stringify({ pid: process.pid, apps }));
}

async function stopLeftovers(appPids) {
  const strayApps = appPids.filter((pid) => isRunning(pid, 'dist/apps/'));
  await Promise.all(strayApps.map((pid) => terminatePid(pid, { graceMs: 10_000 })));
  if (strayApps.length > 0) warn(`stopped ${strayApps.length} app(s) left running by an earlier \`npm start\``);
  if (await stopLeftoverPostgres(PG_DIR)) warn('stopped a Postgres left running by an earlier `npm start`');
  if (await stopLeftoverRedis(DATA_DIR)) warn('stopped a Redis left running by an earlier `npm start`');
}

// ---------------------------------------------------------------------------------------------------------------------
// Services

/** DATABASE_URL from the environment, or the embedded Postgres in .data/postgres (kept across restarts). */
async function provideDatabase(password) {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const port = await announcedPort('PG_PORT', 54329);
  const pg = await startPostgres({ dataDir: PG_DIR, port, password, database: 'switchyard', persistent: true });
  return pg.url;
}

function describeDatabase(url) {
  return process.env.DATABASE_URL ? 'postgres: using DATABASE_URL' : `postgres on :${new URL(url).port}`;
}

/** REDIS_URL from the environment, or a private redis-server (installed first when missing and we are root). */
async function provideRedis() {
  if (process.env.REDIS_URL) {
    await checkRedisUrl(process.env.REDIS_URL);
    return process.env.REDIS_URL;
  }
  const binary = await ensureRedisServer();
  const port = await announcedPort('REDIS_PORT', 63790);
  const redis = await startRedis({ binary, port, dir: DATA_DIR });
  return redis.url;
}

function describeRedis(url) {
  return process.env.REDIS_URL ? 'redis: using REDIS_URL' : `redis on :${new URL(url).port}`;
}

async function choosePorts() {
  return {
    sandbox: await announcedPort('SANDBOX_PORT', 4010),
    api: await announcedPort('PORT', 8080),
  };
}

/** The port named by `envName` (or `fallback`); if it is busy, a free one, and say so. */
async function announcedPort(envName, fallback) {
  const wanted = Number.parseInt(process.env[envName] ?? '', 10) || fallback;
  const port = await findFreePort(wanted);
  if (port !== wanted) info(dim(`  port ${wanted} (${envName}) is busy: using ${port}`));
  return port;
}

// ---------------------------------------------------------------------------------------------------------------------
// Apps

const APPS = [
  { name: 'sandbox', entry: ENTRIES.sandbox, colour: yellow },
  { name: 'api', entry: ENTRIES.api, colour: cyan },
  { name: 'worker', entry: ENTRIES.worker, colour: green },
];

/** Starts the apps and waits until the API is live and the sandbox answers (up to ~60 s each). */
async function startAppsAndWait(appEnv, ports, { apiUrl, sandboxUrl }) {
  startApps(appEnv, ports);
  const stillWaiting = () => !isShuttingDown();
  await Promise.all([
    waitForHttp(`${sandboxUrl}/`, { stillWaiting }),
    waitForHttp(`${apiUrl}/health/live`, { stillWaiting }),
  ]);
  if (isShuttingDown()) await never(); // an app died while we waited: the shutdown in progress ends the process
}

/** Starts sandbox, api and worker; if one of them exits on its own, say which and stop everything with exit 1. */
function startApps(appEnv, ports) {
  // The sandbox needs no database or secrets: it imitates the processors, on its own port.
  const sandboxEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: appEnv.LOG_LEVEL,
    SANDBOX_PORT: String(ports.sandbox),
    SANDBOX_HOST: '127.0.0.1',
  };
  const children = APPS.map(({ name, entry, colour }) => {
    const env = name === 'sandbox' ? sandboxEnv : appEnv;
    const child = spawnChild(name, process.execPath, nodeArgs(entry), { cwd: ROOT, env, colour });
    void child.exited.then(({ code, signal, error }) => {
      if (isShuttingDown()) return;
      const how = error ? `could not start (${error.message})` : `exited with ${signal ?? `code ${code}`}`;
      warn(`${name} ${how}: stopping everything`);
      void shutdown(1);
    });
    return child;
  });
  writeLock(children.map((child) => child.pid).filter(Boolean));
  // One task for all three, stopped together, before Redis and Postgres (registered earlier, so stopped later).
  onShutdown(
    'apps',
    () => Promise.all(children.map((child) => child.stop())),
    () => children.forEach((child) => child.kill()),
  );
}

const never = () => new Promise(() => {});

main().catch((error) => fail(error));
