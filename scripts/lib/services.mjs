// The building blocks of `npm start` and `npm test`: dependencies, build, ports, local secrets, migrations, and the
// Postgres / Redis / child-process helpers (re-exported here so the two entry scripts import from one place).
// Only Node built-ins are imported statically: this file runs before `npm install` may have happened.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { info, UserError } from './output.mjs';
import { run } from './processes.mjs';

export { startPostgres, stopLeftoverPostgres } from './postgres.mjs';
export {
  ensureRedisServer,
  findRedisServer,
  startRedis,
  stopRedis,
  stopLeftoverRedis,
  checkRedisUrl,
} from './redis.mjs';
export { spawnChild, run, onShutdown, shutdown, fail, installShutdownHandlers } from './processes.mjs';

/** Repository root (scripts/lib/../..): every command runs with this cwd. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Local state: embedded Postgres data, Redis pid/log files, generated secrets. Git-ignored. */
// SWITCHYARD_DATA_DIR moves local state (embedded Postgres, secrets, demo key) elsewhere, e.g. for a second checkout's test.
export const DATA_DIR = process.env.SWITCHYARD_DATA_DIR
  ? path.resolve(process.env.SWITCHYARD_DATA_DIR)
  : path.join(ROOT, '.data');

export const ENTRIES = {
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  sandbox: 'dist/apps/sandbox/src/main.js',
  migrate: 'dist/libs/database/src/cli/migrate.js',
};

/** `node -r ./scripts/register-aliases.cjs <entry>`: maps the @switchyard/* imports of compiled code onto dist/. */
export function nodeArgs(entry) {
  return ['-r', './scripts/register-aliases.cjs', entry];
}

export function checkNodeVersion() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new UserError(`Node ${process.versions.node} is too old: Switchyard needs Node 20 or newer.`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Dependencies and build

/**
 * Runs `npm install` when node_modules is missing or older than package-lock.json (npm records the installed tree in
 * node_modules/.package-lock.json). `npm ci` is not used: it fails against the registry this project uses.
 * Returns a short description of what happened.
 */
export async function ensureDependencies() {
  const lockFile = path.join(ROOT, 'package-lock.json');
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const reason = !existsSync(path.join(ROOT, 'node_modules'))
    ? 'node_modules is missing'
    : !existsSync(installed)
      ? 'node_modules was not installed by npm'
      : existsSync(lockFile) && statSync(installed).mtimeMs < statSync(lockFile).mtimeMs
        ? 'package-lock.json changed since the last install'
        : null;
  if (reason === null) return 'dependencies up to date';

  info(`${reason}: running \`npm install --no-audit --no-fund\` (first run takes a minute)…`);
  const code = await run(...npmCommand(['install', '--no-audit', '--no-fund']), { cwd: ROOT });
  if (code !== 0) throw new UserError(`npm install failed with exit code ${code} (see above).`);
  // npm leaves the hidden lockfile untouched when nothing changed; touch it so the next run does not install again.
  if (existsSync(installed)) utimesSync(installed, new Date(), new Date());
  return 'dependencies installed';
}

/** The npm that runs us (npm sets npm_execpath), else `npm` from PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && npmCli.endsWith('.js') && existsSync(npmCli)) return [process.execPath, [npmCli, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

/** Incremental TypeScript build into dist/; this is also the type check, so any error fails the command. */
export async function build() {
  const code = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
  });
  if (code !== 0) throw new UserError('The TypeScript build failed (errors above).');
  return 'build ok';
}

/** Fails clearly when a compiled entry point is missing (e.g. that app is not written yet). */
export function requireEntry(entry) {
  if (existsSync(path.join(ROOT, entry))) return;
  const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  throw new UserError(
    existsSync(path.join(ROOT, source))
      ? `${entry} is missing although ${source} exists: delete dist/ (stale incremental build info) and try again.`
      : `${entry} does not exist because ${source} has not been written yet.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Migrations

/** Applies pending migrations with the compiled migration CLI; `env` must carry DATABASE_URL. */
export async function runMigrations(env) {
  requireEntry(ENTRIES.migrate);
  const code = await run(process.execPath, nodeArgs(ENTRIES.migrate), { cwd: ROOT, env });
  if (code !== 0) throw new UserError(`Migrations failed with exit code ${code} (see above).`);
  return 'migrations applied';
}

// ---------------------------------------------------------------------------------------------------------------------
// Ports

const handedOut = new Set();

/**
 * `preferred` when nothing listens on it, otherwise a free port chosen by the OS (also when preferred is 0).
 * Probing without a host binds every interface, so a server on 127.0.0.1, 0.0.0.0 or :: all count as busy.
 */
export async function findFreePort(preferred = 0) {
  if (preferred > 0 && !handedOut.has(preferred) && (await listenOn(preferred)) !== null) {
    handedOut.add(preferred);
    return preferred;
  }
  for (;;) {
    const port = await listenOn(0);
    // Two quick calls could get the same ephemeral port back: never hand one out twice.
    if (port !== null && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function listenOn(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ port }, () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Secrets

export const SECRET_NAMES = ['ADMIN_API_KEY', 'MASTER_KEY', 'API_KEY_HASH_SECRET'];

const generators = {
  ADMIN_API_KEY: () => `adm_${randomBytes(24).toString('hex')}`,
  MASTER_KEY: () => randomBytes(32).toString('base64'),
  API_KEY_HASH_SECRET: () => randomBytes(32).toString('base64'),
  PG_PASSWORD: () => randomBytes(18).toString('base64url'),
};

/** Fresh values for a throwaway run (npm test). */
export function generateSecrets(names = [...SECRET_NAMES, 'PG_PASSWORD']) {
  return Object.fromEntries(names.map((name) => [name, generators[name]()]));
}

/**
 * Local secrets for `npm start`: the environment wins; otherwise the value kept in `file` (.data/local.json);
 * otherwise a new one, saved there (mode 600) so restarts reuse it: the database holds data encrypted with
 * MASTER_KEY and keys hashed with API_KEY_HASH_SECRET, and the Postgres cluster was created with PG_PASSWORD.
 * Returns `{ values, fromEnv }` where fromEnv lists the names taken from the environment.
 */
export function loadLocalSecrets(file, names = [...SECRET_NAMES, 'PG_PASSWORD']) {
  const stored = existsSync(file) ? readJson(file) : {};
  if (stored === null || typeof stored !== 'object') {
    throw new UserError(
      `${path.relative(ROOT, file)} is not valid JSON: fix it, or delete .data/ to start from scratch.`,
    );
  }
  const values = {};
  const fromEnv = [];
  let changed = false;
  for (const name of names) {
    if (name !== 'PG_PASSWORD' && process.env[name]) {
      values[name] = process.env[name];
      fromEnv.push(name);
    } else {
      if (!stored[name]) {
        stored[name] = generators[name]();
        changed = true;
      }
      values[name] = stored[name];
    }
  }
  if (changed) writePrivateJson(file, stored);
  return { values, fromEnv };
}

/** Writes JSON readable by the owner only (it holds secrets). */
export function writePrivateJson(file, value) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync's mode only applies when the file is created
}

export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
