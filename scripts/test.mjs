// `npm test [-- <jest args>]`: install if needed, build (the type check), lint and format check (full runs only), then
// jest against a throwaway Postgres and Redis on spare ports with throwaway secrets. Everything started is stopped and
// removed afterwards, also on Ctrl-C. Exits with jest's exit code. See docs/running.md.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './lib/chromium.mjs';
import { info, phase, UserError, warn } from './lib/output.mjs';
import { isRunning } from './lib/processes.mjs';
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
  generateSecrets,
  installShutdownHandlers,
  onShutdown,
  requireEntry,
  ROOT,
  run,
  runMigrations,
  shutdown,
  startPostgres,
  startRedis,
  stopLeftoverPostgres,
  stopLeftoverRedis,
} from './lib/services.mjs';

const jestArgs = process.argv.slice(2);
const RUN_DIR = path.join(DATA_DIR, `test-${process.pid}`);
const LOG_DIR = path.join(RUN_DIR, 'logs');
let keepLogs = false;

async function main() {
  checkNodeVersion();
  // An interrupted test run is not a passing one.
  installShutdownHandlers({ exitCodeOnSignal: 130 });

  await phase('install', ensureDependencies, (summary) => summary);
  await phase('build', build, () => 'build ok (type check passed)');
  requireEntry(ENTRIES.migrate); // fail before starting any service if the migration CLI is not there
  // A focused run (`npm test -- -t Plural`) skips lint: it is for quick iteration; CI and plain `npm test` lint.
  if (jestArgs.length === 0) await phase('lint', lint, () => 'lint ok (eslint, prettier --check)');

  await removeStaleRuns();
  mkdirSync(LOG_DIR, { recursive: true });
  onShutdown('test folder', removeRunDir);

  const secrets = generateSecrets();
  const databaseUrl = await phase('postgres', () => provideDatabase(secrets.PG_PASSWORD), describe('DATABASE_URL'));
  const redisUrl = await phase('redis', provideRedis, describe('REDIS_URL'));
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ADMIN_API_KEY: secrets.ADMIN_API_KEY,
    MASTER_KEY: secrets.MASTER_KEY,
    API_KEY_HASH_SECRET: secrets.API_KEY_HASH_SECRET,
    TEST_LOG_DIR: LOG_DIR,
  };
  await phase('migrations', () => runMigrations(env));
  // The dashboard's browser test drives Debian's chromium; without it that test fails (saying why), it never skips.
  const chromium = await phase('chromium', ensureChromium, (found) =>
    found ? `chromium: ${found}` : 'chromium missing',
  );
  if (chromium) env.CHROMIUM_PATH = chromium;

  const code = await phase(
    'jest',
    () => run(process.execPath, ['node_modules/jest/bin/jest.js', ...jestArgs], { cwd: ROOT, env }),
    (exitCode) => (exitCode === 0 ? 'jest passed' : `jest failed (exit code ${exitCode})`),
  );
  keepLogs = code !== 0;
  await shutdown(code);
}

/** ESLint and Prettier both run, so one report names every problem; either failing fails the run. */
async function lint() {
  const failed = [];
  if ((await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'], { cwd: ROOT })) !== 0) {
    failed.push('eslint (fix the errors above)');
  }
  if ((await run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '.'], { cwd: ROOT })) !== 0) {
    failed.push('prettier --check (run `npm run format`)');
  }
  if (failed.length > 0) throw new UserError(`lint failed: ${failed.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Throwaway services

async function provideDatabase(password) {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const pg = await startPostgres({
    dataDir: path.join(RUN_DIR, 'postgres'),
    port: await findFreePort(0),
    password,
    database: 'switchyard_test',
    persistent: false, // stop() deletes the data folder
  });
  return pg.url;
}

async function provideRedis() {
  if (process.env.REDIS_URL) {
    await checkRedisUrl(process.env.REDIS_URL);
    return process.env.REDIS_URL;
  }
  const binary = await ensureRedisServer();
  const redis = await startRedis({ binary, port: await findFreePort(0), dir: RUN_DIR });
  return redis.url;
}

function describe(envName) {
  const service = envName === 'DATABASE_URL' ? 'postgres' : 'redis';
  return (url) => (process.env[envName] ? `${service}: using ${envName}` : `${service} on :${new URL(url).port}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Clean-up

/** Removes this run's folder; after a jest failure its logs stay (and the path is printed) until the next run. */
function removeRunDir() {
  if (!keepLogs || !existsSync(LOG_DIR) || readdirSync(LOG_DIR, { recursive: true }).length === 0) {
    rmSync(RUN_DIR, { recursive: true, force: true });
    return Promise.resolve();
  }
  for (const entry of readdirSync(RUN_DIR)) {
    if (entry !== 'logs') rmSync(path.join(RUN_DIR, entry), { recursive: true, force: true });
  }
  info(`captured logs kept in ${path.relative(ROOT, LOG_DIR)}`);
  return Promise.resolve();
}

/**
 * Folders of earlier runs whose process is gone (finished, or killed hard): stop any Postgres/Redis they left
 * behind and delete them. Folders of test runs still in progress are left alone.
 */
async function removeStaleRuns() {
  mkdirSync(DATA_DIR, { recursive: true });
  for (const name of readdirSync(DATA_DIR)) {
    const pid = Number.parseInt(/^test-(\d+)$/.exec(name)?.[1] ?? '', 10);
    if (!pid || pid === process.pid || isRunning(pid, 'test.mjs')) continue;
    const dir = path.join(DATA_DIR, name);
    const strayPostgres = await stopLeftoverPostgres(path.join(dir, 'postgres'));
    const strayRedis = await stopLeftoverRedis(dir);
    if (strayPostgres || strayRedis) warn(`stopped services left running by an earlier test run (${name})`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => fail(error));
