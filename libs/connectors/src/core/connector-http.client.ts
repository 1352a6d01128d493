import { Inject, Injectable, Logger } from '@nestjs/common';
import { constants as cryptoConstants } from 'node:crypto';
import { Histogram, register } from 'prom-client';
import { Agent, errors as undiciErrors, request } from 'undici';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { redactSecrets, redactUrl } from '@switchyard/common';
import { ConnectorOutcomeUnknownError } from './connector.types';

/** TLS 1.2+ with forward-secret AEAD suites only (TLS 1.3 suites are always strong). */
const STRONG_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/** One histogram per process (the API and worker may both be created more than once in a test process). */
const latency =
  (register.getSingleMetric('switchyard_connector_request_duration_seconds') as
    Histogram<'connector' | 'status_class'> | undefined) ??
  new Histogram({
    name: 'switchyard_connector_request_duration_seconds',
    help: 'Outbound processor calls by connector and HTTP status class (error = no answer)',
    labelNames: ['connector', 'status_class'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });

export interface ConnectorHttpRequest {
  connector: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

export interface ConnectorHttpResponse {
  status: number;
  /** Parsed JSON body, or undefined when the body was empty or not JSON. */
  body: unknown;
  /** True when a body was present but could not be parsed as JSON. */
  malformed: boolean;
  durationMs: number;
}

/**
 * The one outbound HTTP path to processors: 30 s timeout (configurable), TLS ≥ 1.2, keep-alive pool, and a redacted log
 * line for every request/response. Transport failures become ConnectorOutcomeUnknownError: callers never guess.
 */
@Injectable()
export class ConnectorHttpClient {
  private readonly logger = new Logger('ConnectorHttp');
  private readonly agent: Agent;
  /** The per-call debug line redacts both bodies: only built when it would be written. */
  private readonly debug: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.debug = ['debug', 'trace'].includes(config.LOG_LEVEL);
    this.agent = new Agent({
      connect: {
        minVersion: 'TLSv1.2',
        ciphers: STRONG_CIPHERS,
        secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
        timeout: Math.min(10_000, config.CONNECTOR_TIMEOUT_MS),
      },
      keepAliveTimeout: 10_000,
      connections: 64,
    });
  }

  async send(req: ConnectorHttpRequest): Promise<ConnectorHttpResponse> {
    const started = Date.now();
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.config.CONNECTOR_TIMEOUT_MS),
        headersTimeout: this.config.CONNECTOR_TIMEOUT_MS,
        bodyTimeout: this.config.CONNECTOR_TIMEOUT_MS,
      });
      const text = await res.body.text();
      const parsed = parseJson(text);
      const result: ConnectorHttpResponse = {
        status: res.statusCode,
        body: parsed.value,
        malformed: text.length > 0 && !parsed.ok,
        durationMs: Date.now() - started,
      };
      latency.observe(
        { connector: req.connector, status_class: `${Math.floor(res.statusCode / 100)}xx` },
        result.durationMs / 1000,
      );
      if (this.debug)
        this.logger.debug({
          msg: 'connector call',
          connector: req.connector,
          method: req.method,
          url: redactUrl(req.url),
          status: result.status,
          durationMs: result.durationMs,
          request: redactSecrets(req.json ?? req.form ?? null),
          response: result.malformed ? '[malformed body]' : redactSecrets(result.body ?? null),
        });
      return result;
    } catch (error: unknown) {
      latency.observe({ connector: req.connector, status_class: 'error' }, (Date.now() - started) / 1000);
      const reason = describeTransportError(error);
      this.logger.warn({
        msg: 'connector call failed',
        connector: req.connector,
        method: req.method,
        url: redactUrl(req.url),
        reason,
        durationMs: Date.now() - started,
      });
      throw new ConnectorOutcomeUnknownError(req.connector, reason);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  if (!text) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, value: undefined };
  }
}

function describeTransportError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError)
    return 'timeout';
  if (error instanceof undiciErrors.ConnectTimeoutError) return 'connect timeout';
  const code = (error as { code?: string } | null)?.code;
  return code ? `network error ${code}` : 'network error';
}
