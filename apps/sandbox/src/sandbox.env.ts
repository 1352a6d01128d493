import type { SandboxOptions } from './sandbox.types';

export type SandboxStartOptions = SandboxOptions & { port: number; host: string };

function integer(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

/**
 * Start options from the environment; throws naming the variable on a bad value so the process refuses to start.
 * SANDBOX_PORT (4010), SANDBOX_HOST (127.0.0.1), SANDBOX_PUBLIC_URL (http://<host>:<port>), SANDBOX_LOG=1, and the knobs
 * SANDBOX_TOKEN_TTL_SECONDS, SANDBOX_PENDING_POLLS, SANDBOX_HANG_MS, SANDBOX_PAYMENT_TTL_SECONDS.
 */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): SandboxStartOptions {
  const publicUrl = env.SANDBOX_PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(publicUrl)) {
    throw new Error(`SANDBOX_PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  }
  return {
    port: integer(env, 'SANDBOX_PORT', 0, 65535) ?? 4010,
    host: env.SANDBOX_HOST || '127.0.0.1',
    publicUrl,
    log: env.SANDBOX_LOG === '1',
    tokenTtlSeconds: integer(env, 'SANDBOX_TOKEN_TTL_SECONDS', 1, 86_400),
    pendingPolls: integer(env, 'SANDBOX_PENDING_POLLS', 0, 1000),
    hangMs: integer(env, 'SANDBOX_HANG_MS', 0, 600_000),
    paymentTtlSeconds: integer(env, 'SANDBOX_PAYMENT_TTL_SECONDS', 1, 86_400 * 30),
  };
}
