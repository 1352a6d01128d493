import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { validateEnv } from './env.validation';

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Every variable the API and worker read. Secrets are marked in comments and are never printed:
 * the validation error names the variable, not its value.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 8080;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Pooled Postgres connections per process (API and worker each). */
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE: number = 20;

  /** Connections each process keeps open, opened at start-up; unset = DB_POOL_SIZE (a fixed-size pool). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(500)
  DB_POOL_MIN?: number;

  /**
   * How long a request waits for a pooled Postgres connection before it fails, in ms. A starved pool then answers
   * 503 (nothing is written without a connection) instead of hanging every request until the client gives up.
   */
  @IsInt()
  @Min(100)
  @Max(600000)
  DB_POOL_WAIT_MS: number = 10000;

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  /** secret: the operator key for /accounts and /api_keys */
  @IsString()
  @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY: string;

  /** secret: AES-256-GCM key for connector credentials, 32 bytes base64 */
  @IsString()
  @Matches(BASE64_32_BYTES, { message: 'MASTER_KEY must be 32 bytes, base64-encoded' })
  MASTER_KEY: string;

  /** secret: previous master key, accepted for decryption while credentials are re-encrypted */
  @IsOptional()
  @Matches(BASE64_32_BYTES, { message: 'MASTER_KEY_PREVIOUS must be 32 bytes, base64-encoded' })
  MASTER_KEY_PREVIOUS?: string;

  /** secret: HMAC key for API key hashes, 32 bytes base64 */
  @IsString()
  @Matches(BASE64_32_BYTES, { message: 'API_KEY_HASH_SECRET must be 32 bytes, base64-encoded' })
  API_KEY_HASH_SECRET: string;

  /** Where shoppers and connectors reach this API (return routes, webhooks). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL = 'http://127.0.0.1:8080';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Optional file that receives a copy of every log line (tests scan it for secrets). */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** Tests keep stdout quiet and read LOG_FILE instead. */
  @Transform(
    ({ obj }: { obj: Record<string, unknown> }) => !['false', '0', false].includes(obj.LOG_TO_STDOUT as string),
  )
  LOG_TO_STDOUT: boolean = true;

  /** BullMQ key prefix: lets several deployments or test runs share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]+$/)
  QUEUE_PREFIX = 'sy';

  /** Timeout of every outbound connector call, in ms (30 s by default, as the design says). */
  @IsInt()
  @Min(100)
  @Max(120000)
  CONNECTOR_TIMEOUT_MS: number = 30000;

  /** Inquiry schedule for non-terminal attempts: seconds after the previous check, comma separated. */
  @IsString()
  @Matches(/^\d+(,\d+)*$/, { message: 'PAYMENT_SYNC_SCHEDULE must be comma-separated seconds' })
  PAYMENT_SYNC_SCHEDULE = '30,60,120,300,600,1800,3600';

  /** Per-connector inquiry schedules overriding PAYMENT_SYNC_SCHEDULE, e.g. `tap:10,30,60;plural:5,15,60`. */
  @IsOptional()
  @Matches(/^[a-z0-9_]+:\d+(,\d+)*(;[a-z0-9_]+:\d+(,\d+)*)*$/, {
    message: 'PAYMENT_SYNC_SCHEDULE_OVERRIDES must look like tap:10,30;plural:5,15',
  })
  PAYMENT_SYNC_SCHEDULE_OVERRIDES?: string;

  /** How often the worker looks for non-terminal attempts whose inquiry chain was lost, in seconds. */
  @IsInt()
  @Min(1)
  @Max(3600)
  PAYMENT_SYNC_SWEEP_SECONDS: number = 60;

  /** Merchant webhook retries: seconds before each re-delivery after a failure (about 24 h in all by default). */
  @IsString()
  @Matches(/^\d+(,\d+)*$/, { message: 'MERCHANT_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds' })
  MERCHANT_WEBHOOK_RETRY_SCHEDULE = '60,300,900,3600,7200,21600,43200,10800';

  /** Timeout of one merchant webhook delivery, in ms (Hyperswitch uses 5 s). */
  @IsInt()
  @Min(100)
  @Max(60000)
  MERCHANT_WEBHOOK_TIMEOUT_MS: number = 5000;

  /** Lifetime of a payment's client_secret in seconds (Hyperswitch default 900). */
  @IsInt()
  @Min(60)
  @Max(86400 * 7)
  CLIENT_SECRET_TTL_SECONDS: number = 900;

  /** How long a rotated-away API key keeps working by default (POST /api_keys/{merchant_id}/{key_id}/rotate). */
  @IsInt()
  @Min(0)
  @Max(86400 * 30)
  API_KEY_ROTATION_OVERLAP_SECONDS: number = 86400;

  /** How long a connector account's previous credentials still verify webhooks after a rotation, by default. */
  @IsInt()
  @Min(0)
  @Max(86400 * 30)
  CONNECTOR_ROTATION_OVERLAP_SECONDS: number = 86400;

  /** secret: bearer token Prometheus may present on GET /metrics (the admin key works too); unset = admin key only. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'METRICS_TOKEN must be at least 24 characters' })
  METRICS_TOKEN?: string;

  /** The window of the payments-by-connector/status gauges, in seconds (attempts created that recently). */
  @IsInt()
  @Min(60)
  @Max(86400 * 31)
  METRICS_WINDOW_SECONDS: number = 86400;

  /** Lifetime of an ops dashboard session (Redis), in seconds. */
  @IsInt()
  @Min(60)
  @Max(86400)
  DASHBOARD_SESSION_TTL_SECONDS: number = 28800;

  /** Largest JSON body accepted. */
  @IsString()
  @Matches(/^\d+(kb|mb)$/)
  BODY_LIMIT = '100kb';
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return validateEnv(AppConfig, env);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
