// Child processes and orderly shutdown. Everything `npm start` / `npm test` launches registers a stop task here, so
// Ctrl-C, SIGTERM, a crash of one child or an error in the script itself stops all of it, newest first
// (apps before Redis before Postgres), and nothing is left running.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { dim, info, reportError, warn } from './output.mjs';

// ---------------------------------------------------------------------------------------------------------------------
// Stop tasks and signals

/** @type {{ name: string, stop: () => Promise<void>, kill?: () => void }[]} */
const stopTasks = [];
let shuttingDown = false;
let signalsSeen = 0;

/**
 * Registers how to stop something we started. `stop` is the graceful async way; `kill` is a synchronous last resort
 * used only if the script exits without having run `stop` (e.g. a second Ctrl-C storm). Returns an unregister function.
 */
export function onShutdown(name, stop, kill) {
  const task = { name, stop, kill };
  stopTasks.push(task);
  return () => {
    const index = stopTasks.indexOf(task);
    if (index >= 0) stopTasks.splice(index, 1);
  };
}

export function isShuttingDown() {
  return shuttingDown;
}

/** Stops everything registered (newest first, one at a time so the order holds) and exits with `code`. Runs once. */
export async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  while (stopTasks.length > 0) {
    const task = stopTasks.pop();
    try {
      await task.stop();
    } catch (error) {
      warn(`could not stop ${task.name} cleanly: ${error instanceof Error ? error.message : String(error)}`);
      task.kill?.();
    }
  }
  process.exit(code);
}

/** Prints the error and stops everything with exit code 1. */
export function fail(error) {
  reportError(error);
  return shutdown(1);
}

/**
 * Ctrl-C / SIGTERM / SIGHUP start the orderly shutdown with `exitCodeOnSignal`. A terminal Ctrl-C reaches both npm
 * and us (and npm may forward it again), so repeated signals are ignored; only a third one forces an immediate exit.
 */
export function installShutdownHandlers({ exitCodeOnSignal }) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      signalsSeen += 1;
      if (!shuttingDown) {
        info(`\n${dim(`${signal} received: stopping…`)}`);
        void shutdown(exitCodeOnSignal);
      } else if (signalsSeen >= 3) {
        warn('forced exit: killing what is still running');
        process.exit(1);
      }
    });
  }
  process.on('uncaughtException', (error) => void fail(error));
  process.on('unhandledRejection', (error) => void fail(error));
  // Last resort: whatever is still registered when the process exits gets a synchronous SIGKILL/SIGTERM.
  process.on('exit', () => {
    for (const task of stopTasks.splice(0).reverse()) task.kill?.();
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// PIDs of processes we do not hold a handle for (daemonised Redis, Postgres left over from a killed run)

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The command line of a process (Linux /proc), or null when unknown; used so we never signal a recycled PID. */
export function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return null;
  }
}

/** True when `pid` is alive and (where the OS tells us) its command line contains `expected`. */
export function isRunning(pid, expected) {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  const commandLine = commandLineOf(pid);
  return commandLine === null || commandLine.includes(expected);
}

export async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILL. */
export async function terminatePid(pid, { signal = 'SIGTERM', graceMs = 5000 } = {}) {
  try {
    process.kill(pid, signal);
  } catch {
    return; // already gone
  }
  if (await waitForExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 2000);
}

// ---------------------------------------------------------------------------------------------------------------------
// Running commands

/**
 * Runs a command to completion with inherited stdio (install, tsc, eslint, migrations, jest) and resolves with its
 * exit code (128 + n when killed by a signal). While it runs, a shutdown waits for it (and terminates it if needed).
 */
export function run(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: 'inherit' });
  const exited = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
  const unregister = onShutdown(
    command,
    async () => {
      // Ctrl-C in a terminal already reached it (same process group); SIGTERM covers `kill` and CI cancellation.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const finished = exited.catch(() => {}).then(() => true);
      const stopped = await Promise.race([finished, sleep(10_000).then(() => false)]);
      if (!stopped) child.kill('SIGKILL');
    },
    () => child.kill('SIGKILL'),
  );
  return exited.finally(unregister);
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1;
}

/**
 * Starts a long-running node process (api, worker, sandbox) with every output line prefixed by `[name]`.
 * It gets its own process group (detached) so a terminal Ctrl-C reaches only this script, which then stops the apps
 * in order (SIGTERM, SIGKILL after `graceMs`) before the databases they use.
 * Returns `{ name, pid, exited, stop }`; `exited` resolves with `{ code, signal }`.
 */
export function spawnChild(name, command, args, { cwd, env, colour = (text) => text, graceMs = 10_000 } = {}) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = colour(`[${name}]`);
  prefixLines(child.stdout, process.stdout, prefix);
  prefixLines(child.stderr, process.stderr, prefix);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  // Signal the whole group so anything the app itself started goes too.
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  async function stop() {
    if (!running()) return;
    signalGroup('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      warn(`${name} did not stop within ${graceMs / 1000} s: killing it`);
      signalGroup('SIGKILL');
      await exited;
    }
  }
  return { name, pid: child.pid, exited, stop, kill: () => running() && signalGroup('SIGKILL') };
}

function prefixLines(stream, target, prefix) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => target.write(`${prefix} ${line}\n`));
}
