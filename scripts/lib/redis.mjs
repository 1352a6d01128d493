// A private Redis (BullMQ queues, connector token cache) started from the system's `redis-server`, daemonised with a
// pidfile we own, and stopped by that PID. Installed with apt when missing and we are root (containers, CI images).

import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { info, UserError } from './output.mjs';
import { isRunning, onShutdown, run, terminatePid } from './processes.mjs';

const EXTRA_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/opt/homebrew/bin'];

/** Path of `redis-server` on PATH or in the usual folders, or null. */
export function findRedisServer({ searchPath = process.env.PATH ?? '', extraDirs = EXTRA_DIRS } = {}) {
  return findExecutable('redis-server', [...searchPath.split(path.delimiter), ...extraDirs]);
}

function findExecutable(name, dirs) {
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Returns the redis-server path, installing the Debian package first when it is missing and we run as root.
 * Anyone else gets told how to install it (or to use REDIS_URL) instead of a sudo prompt in the middle of a start.
 */
export async function ensureRedisServer(options) {
  const found = findRedisServer(options);
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const hasApt = findExecutable('apt-get', [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin']) !== null;
  if (!isRoot || !hasApt) {
    throw new UserError(
      'redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, ' +
        'macOS: `brew install redis`) or set REDIS_URL to a Redis you already run, then try again.',
    );
  }
  info('redis-server is not installed: installing the Debian package `redis-server` (apt-get update + install)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update'], { env })) !== 0) throw new UserError('`apt-get update` failed (see above).');
  if ((await run('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { env })) !== 0) {
    throw new UserError('`apt-get install -y redis-server` failed (see above). Install Redis or set REDIS_URL.');
  }
  const installed = findRedisServer(options);
  if (!installed) throw new UserError('redis-server is still not found after installing it.');
  return installed;
}

/**
 * Starts a daemonised redis-server on 127.0.0.1:`port`, without persistence, and waits until it answers PING.
 * `dir` holds its pidfile and log (`redis-<port>.pid`, `redis-<port>.log`). Like startPostgres it registers its own
 * stop with the shutdown tasks before starting. Returns `{ url, port, pid, pidFile, stop }`.
 */
export async function startRedis({ binary, port, dir }) {
  await mkdir(dir, { recursive: true });
  const pidFile = path.resolve(dir, `redis-${port}.pid`);
  const logFile = path.resolve(dir, `redis-${port}.log`);
  rmSync(pidFile, { force: true });
  const stop = async () => {
    unregister();
    await stopRedis(pidFile);
  };
  const unregister = onShutdown('redis', stop, () => {
    const pid = readPid(pidFile);
    if (pid !== null && isRunning(pid, 'redis')) process.kill(pid, 'SIGTERM'); // Redis exits promptly on SIGTERM
  });

  // prettier-ignore
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'yes',
    '--pidfile', pidFile,
    '--logfile', logFile,
    '--dir', path.resolve(dir),
  ];
  const code = await new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  };
  if (code !== 0) {
    unregister();
    throw new UserError(`redis-server exited with code ${code}.\n--- ${logFile} ---\n${logTail()}`);
  }
  if (!(await waitForPing(port, 10_000))) {
    await stop();
    throw new UserError(`Redis did not answer PING on port ${port} within 10 s.\n--- ${logFile} ---\n${logTail()}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: readPid(pidFile), pidFile, stop };
}

/** Stops the redis-server whose PID is in `pidFile` (SIGTERM, SIGKILL after 5 s). No-op if it is not running. */
export async function stopRedis(pidFile) {
  const pid = readPid(pidFile);
  if (pid !== null && isRunning(pid, 'redis')) await terminatePid(pid, { signal: 'SIGTERM', graceMs: 5000 });
  rmSync(pidFile, { force: true });
}

/**
 * Stops every redis-server whose pidfile (`redis-<port>.pid`) is in `dir`: left behind by a run that was killed hard.
 * Only call this when no live run of ours uses `dir`. Returns true if one was running.
 */
export async function stopLeftoverRedis(dir) {
  if (!existsSync(dir)) return false;
  let stopped = false;
  for (const file of readdirSync(dir).filter((name) => /^redis-\d+\.pid$/.test(name))) {
    const pidFile = path.join(dir, file);
    const pid = readPid(pidFile);
    stopped ||= pid !== null && isRunning(pid, 'redis');
    await stopRedis(pidFile);
  }
  return stopped;
}

function readPid(pidFile) {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Sends a raw `PING` until `+PONG` comes back (no client library needed). */
export async function waitForPing(port, timeoutMs, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port, host)) return true;
    await sleep(100);
  }
  return false;
}

function ping(port, host) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    let answer = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

/** PING through a REDIS_URL we did not start (host/port only; auth is left to the apps). */
export async function checkRedisUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`REDIS_URL is not a valid URL.`);
  }
  if (parsed.protocol !== 'redis:' || parsed.username || parsed.password) return; // TLS or auth: let the apps judge
  const port = Number(parsed.port || 6379);
  const host = parsed.hostname.replace(/^\[|\]$/g, ''); // [::1] -> ::1
  if (!(await waitForPing(port, 5000, host))) {
    throw new UserError(`Redis at REDIS_URL (${parsed.hostname}:${port}) does not answer PING.`);
  }
}
