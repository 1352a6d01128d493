// The benchmark's own throwaway stack: embedded Postgres (with pg_stat_statements), a private Redis, the build, the
// migrations, then sandbox + API + worker (+ the floor server) on spare ports, and a seeded merchant. Built from the same
// helpers as `npm start` / `npm test` (scripts/lib), so it starts exactly what they start. Everything it starts is
// registered with the shutdown tasks (newest stopped first) and the run folder is deleted at the end, also on Ctrl-C.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { waitForHttp } from '../scripts/lib/demo.mjs';
import { cyan, dim, green, phase, UserError, warn, yellow } from '../scripts/lib/output.mjs';
import { isRunning, isShuttingDown, terminatePid } from '../scripts/lib/processes.mjs';
import {
  build,
  DATA_DIR,
  ensureRedisServer,
  ENTRIES,
  findFreePort,
  generateSecrets,
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
} from '../scripts/lib/services.mjs';

export const MERCHANT_ID = 'bench_merchant';
// Fake gateway credentials: the sandbox accepts any client id / secret id pair.
export const GATEWAY = { clientId: 'bench_client', secretId: 'bench_secret_123' };
// Separate Postgres roles for the worker and the floor, so pg_stat_statements (grouped by user) attributes every
// statement to the process that ran it: postgres = API, bench_worker = worker, bench_floor = floor.
const ROLES = { worker: 'bench_worker', floor: 'bench_floor' };

/**
 * Starts everything and returns `{ api, floor, worker, sandbox, redis, db, redisUrl, apiKey, roles, runDir }` (urls
 * and pids). `apiNodeArgs` go before the API's entry point (`--inspect=…` for the profile mode); `trackPlanning` makes
 * pg_stat_statements time planning too. A child exiting on its own stops the run (exit code 1).
 */
/** `BENCH_API_NODE_ARGS`: extra Node flags for the API (experiments: `--trace-gc`, heap sizes), space-separated. */
const extraApiArgs = () => (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);

export async function startStack({ apiNodeArgs = [], trackPlanning = false } = {}) {
  const runDir = path.join(DATA_DIR, `bench-${process.pid}`);
  await removeStaleRuns();
  mkdirSync(runDir, { recursive: true });
  onShutdown('bench folder', async () => rmSync(runDir, { recursive: true, force: true }));

  await phase('build', build);
  for (const entry of Object.values(ENTRIES)) requireEntry(entry);

  const secrets = generateSecrets();
  const db = await phase(
    'postgres',
    () => startDatabase(runDir, secrets.PG_PASSWORD, trackPlanning),
    (d) => `postgres on :${d.port}`,
  );
  const redis = await phase(
    'redis',
    () => startRedisServer(runDir),
    (r) => `redis on :${r.port}`,
  );
  const redisUrl = redis.url;
  const ports = { api: await findFreePort(0), sandbox: await findFreePort(0), floor: await findFreePort(0) };
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(ports.api),
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    ADMIN_API_KEY: secrets.ADMIN_API_KEY,
    MASTER_KEY: secrets.MASTER_KEY,
    API_KEY_HASH_SECRET: secrets.API_KEY_HASH_SECRET,
    PUBLIC_BASE_URL: `http://127.0.0.1:${ports.api}`,
    // The first inquiry of a hosted-page payment would come 30 s after it is created, i.e. in the middle of later
    // steps, so every step would measure a different mix. Polling is deferred past the run (see bench/README.md).
    PAYMENT_SYNC_SCHEDULE: '3600',
  };
  await phase('migrations', () => runMigrations(env));
  await phase(
    'roles',
    () => createRoles(db, secrets.PG_PASSWORD),
    () => 'worker and floor roles ready',
  );

  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const floorUrl = `http://127.0.0.1:${ports.floor}`;
  const children = await phase(
    'apps',
    async () => {
      const started = {
        // The sandbox needs no database or secrets, as in `npm start`.
        sandbox: startChild('sandbox', nodeArgs(ENTRIES.sandbox), yellow, {
          ...process.env,
          NODE_ENV: 'production',
          SANDBOX_PORT: String(ports.sandbox),
          SANDBOX_HOST: '127.0.0.1',
        }),
        api: startChild('api', [...apiNodeArgs, ...extraApiArgs(), ...nodeArgs(ENTRIES.api)], cyan, env),
        worker: startChild('worker', nodeArgs(ENTRIES.worker), green, {
          ...env,
          DATABASE_URL: roleUrl(db.url, ROLES.worker, secrets.PG_PASSWORD),
        }),
      };
      await Promise.all([waitForHttp(`${sandboxUrl}/`, waitOpts()), waitForHttp(`${apiUrl}/health/live`, waitOpts())]);
      if (isShuttingDown()) await new Promise(() => {}); // an app died: the shutdown in progress ends the process
      return started;
    },
    () => `api on :${ports.api}, sandbox on :${ports.sandbox}, worker running`,
  );

  const gatewayBase = `${sandboxUrl}/generic/pay/sandbox/api/v1`;
  const apiKey = await phase(
    'seed',
    () => seedMerchant(apiUrl, secrets.ADMIN_API_KEY, gatewayBase),
    () => 'merchant',
  );
  children.floor = startChild('floor', ['bench/floor.mjs'], dim, {
    ...process.env,
    FLOOR_PORT: String(ports.floor),
    DATABASE_URL: roleUrl(db.url, ROLES.floor, secrets.PG_PASSWORD),
    API_KEY_HASH_SECRET: secrets.API_KEY_HASH_SECRET,
    MERCHANT_ID,
    GATEWAY_BASE_URL: gatewayBase,
    GATEWAY_CLIENT_ID: GATEWAY.clientId,
    GATEWAY_SECRET_ID: GATEWAY.secretId,
    PUBLIC_BASE_URL: floorUrl,
  });
  await waitForHttp(`${floorUrl}/health`, waitOpts());

  return {
    runDir,
    db,
    redisUrl,
    apiKey,
    api: { url: apiUrl, pid: children.api.pid },
    floor: { url: floorUrl, pid: children.floor.pid },
    worker: { pid: children.worker.pid },
    sandbox: { url: sandboxUrl, pid: children.sandbox.pid },
    redis: { url: redisUrl, pid: redis.pid },
    roles: { api: 'postgres', ...ROLES },
  };
}

const waitOpts = () => ({ stillWaiting: () => !isShuttingDown() });

/** A child stopped with the others at shutdown; exiting on its own fails the run (exit 1). */
function startChild(name, args, colour, env) {
  const child = spawnChild(name, process.execPath, args, { cwd: ROOT, env, colour });
  void child.exited.then(({ code, signal, error }) => {
    if (isShuttingDown()) return;
    warn(`${name} ${error ? `could not start (${error.message})` : `exited with ${signal ?? `code ${code}`}`}`);
    void shutdown(1);
  });
  onShutdown(
    name,
    () => child.stop(),
    () => child.kill(),
  );
  childPids.push(child.pid);
  // Kept so a later run can stop these if this one is killed hard (they run in their own process groups).
  if (child.pid) writeFileSync(path.join(DATA_DIR, `bench-${process.pid}`, 'children.json'), JSON.stringify(childPids));
  return child;
}

const childPids = [];

/**
 * Postgres as `npm test` starts it, plus pg_stat_statements. startPostgres takes no server flags, so the library is
 * enabled with ALTER SYSTEM and the server restarted once on the same folder (about a second).
 */
async function startDatabase(runDir, password, trackPlanning) {
  const dataDir = path.join(runDir, 'postgres');
  const options = { dataDir, port: await findFreePort(0), password, database: 'switchyard_bench' };
  const first = await startPostgres({ ...options, persistent: true });
  await withClient(first.url, async (c) => {
    await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    // Planning time per statement (the profile mode): TypeORM sends unprepared statements, planned every time.
    if (trackPlanning) await c.query('ALTER SYSTEM SET pg_stat_statements.track_planning = on');
  });
  await first.stop();
  const server = await startPostgres({ ...options, persistent: false }); // this one deletes the folder when stopped
  await withClient(server.url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  return { url: server.url, port: options.port, pidFile: path.join(dataDir, 'postmaster.pid') };
}

async function createRoles(db, password) {
  await withClient(db.url, async (c) => {
    for (const role of Object.values(ROLES)) {
      await c.query(`CREATE ROLE ${role} LOGIN PASSWORD ${c.escapeLiteral(password)}`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      await c.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    }
  });
}

function roleUrl(url, role, password) {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = password;
  return parsed.toString();
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function startRedisServer(runDir) {
  return startRedis({ binary: await ensureRedisServer(), port: await findFreePort(0), dir: runDir });
}

/** Merchant, test secret key and a generic connector account on the sandbox, through the admin API (as demo.mjs). */
async function seedMerchant(apiUrl, adminKey, gatewayBase) {
  const post = async (route, body) => {
    const res = await fetch(`${apiUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': adminKey },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200 && res.status !== 201) throw new UserError(`seeding: POST ${route} → ${res.status} ${text}`);
    return JSON.parse(text);
  };
  await post('/accounts', { merchant_id: MERCHANT_ID, merchant_name: 'Bench Merchant' });
  const key = await post(`/api_keys/${MERCHANT_ID}`, { name: 'bench', expiration: 'never', mode: 'test' });
  await post(`/account/${MERCHANT_ID}/connectors`, {
    connector_type: 'payment_processor',
    connector_name: 'generic',
    connector_label: 'generic_bench',
    test_mode: true,
    connector_account_details: { auth_type: 'BodyKey', api_key: GATEWAY.clientId, key1: GATEWAY.secretId },
    metadata: { base_url: gatewayBase },
  });
  return key.api_key;
}

/** Folders of earlier bench runs whose process is gone (e.g. kill -9): stop what they left running, delete them. */
async function removeStaleRuns() {
  if (!existsSync(DATA_DIR)) return;
  for (const name of readdirSync(DATA_DIR)) {
    const pid = Number.parseInt(/^bench-(\d+)$/.exec(name)?.[1] ?? '', 10);
    if (!pid || pid === process.pid || isRunning(pid, 'bench/run.mjs')) continue;
    const dir = path.join(DATA_DIR, name);
    const apps = (readJson(path.join(dir, 'children.json')) ?? []).filter(
      (child) => isRunning(child, 'dist/apps/') || isRunning(child, 'bench/floor.mjs'),
    );
    await Promise.all(apps.map((child) => terminatePid(child, { graceMs: 5000 })));
    const strays = [
      apps.length > 0,
      await stopLeftoverPostgres(path.join(dir, 'postgres')),
      await stopLeftoverRedis(dir),
    ];
    if (strays.some(Boolean)) warn(`stopped services left running by an earlier bench run (${name})`);
    rmSync(dir, { recursive: true, force: true });
  }
}
