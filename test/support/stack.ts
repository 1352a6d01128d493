import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSandbox, SandboxOptions } from '../../apps/sandbox/src/sandbox.app';

export interface StackOptions {
  worker?: boolean;
  sandbox?: SandboxOptions;
  env?: Record<string, string>;
}

export interface Stack {
  api: string;
  sandbox: string;
  sandboxState: Awaited<ReturnType<typeof startSandbox>>['state'];
  adminKey: string;
  logFile: string;
  close(): Promise<void>;
}

const REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'MASTER_KEY', 'API_KEY_HASH_SECRET'];

/**
 * Boots the real API (and optionally the worker) in this jest process against the real Postgres and Redis that
 * `npm test` provisioned, plus a sandbox on a random port. Each suite gets its own queue prefix and log file.
 */
export async function startStack(name: string, options: StackOptions = {}): Promise<Stack> {
  const missing = REQUIRED.filter((k) => !process.env[k]);
  if (missing.length)
    throw new Error(
      `run the suite with \`npm test\` (it provisions Postgres and Redis); missing ${missing.join(', ')}`,
    );
  const sandbox = await startSandbox({ port: 0, hangMs: 6000, pendingPolls: 1, ...options.sandbox });
  const logDir = process.env.TEST_LOG_DIR ?? join(process.cwd(), '.data', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}-${process.pid}.log`);
  // Imported after the environment is set: configuration is validated when the apps are created.
  const { createApiApp } = await import('../../apps/api/src/api.factory');
  // The port must be known before the app exists (PUBLIC_BASE_URL), so another suite running in parallel can take it
  // between the probe and the listen: then the app is made again on another port.
  let api: INestApplication | null = null;
  let port = 0;
  for (let tries = 1; !api; tries++) {
    port = await freePort();
    Object.assign(process.env, {
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_FILE: logFile,
      LOG_TO_STDOUT: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'debug',
      QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
      // Generous for a loaded 2-core machine; the sandbox's scripted hangs (6 s) still exceed it.
      CONNECTOR_TIMEOUT_MS: '4000',
      PAYMENT_SYNC_SCHEDULE: '1,1,2',
      // Two suites run at once, each with an API and often a worker: fixed pools of 20 would hold ~80 connections.
      DB_POOL_MIN: '2',
      ...options.env,
    });
    const app = await createApiApp();
    try {
      await app.listen(port, '127.0.0.1');
      api = app;
    } catch (error: unknown) {
      await app.close();
      if (tries >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  let worker: INestApplicationContext | null = null;
  if (options.worker) {
    const { createWorkerApp } = await import('../../apps/worker/src/worker.factory');
    worker = await createWorkerApp();
  }
  return {
    api: `http://127.0.0.1:${port}`,
    sandbox: sandbox.url,
    sandboxState: sandbox.state,
    adminKey: process.env.ADMIN_API_KEY!,
    logFile,
    async close() {
      await worker?.close();
      await api.close();
      await sandbox.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
