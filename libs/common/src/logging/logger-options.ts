import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { Params, PinoLogger } from 'nestjs-pino';
import { HttpLogger, Options as HttpOptions, pinoHttp } from 'pino-http';
import { redactUrl } from './redact';

export interface LoggerSettings {
  level: string;
  file?: string;
  name: string;
  stdout?: boolean;
}

/** Header and body paths pino removes before anything is written. */
export const REDACT_PATHS = [
  'req.headers["api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.api_key',
  '*.client_secret',
  '*.secret_id',
  '*.access_token',
  '*.payment_response_hash_key',
];

/** Root pino logger: JSON to stdout, plus a copy to LOG_FILE when set (the test suite scans that copy for secrets). */
export function createRootLogger(settings: LoggerSettings): pino.Logger {
  const streams: pino.StreamEntry[] =
    settings.stdout === false ? [] : [{ level: settings.level as pino.Level, stream: process.stdout }];
  if (settings.file) {
    streams.push({
      level: settings.level as pino.Level,
      stream: pino.destination({ dest: settings.file, sync: true, mkdir: true }),
    });
  }
  return pino(
    { level: settings.level, name: settings.name, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } },
    pino.multistream(streams),
  );
}

/** pino-http's settings (the logger aside): one line per request, URLs redacted, health checks not logged. */
const HTTP_LOG_OPTIONS: Omit<HttpOptions, 'logger'> = {
  quietReqLogger: true,
  autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
  serializers: {
    req: (req: IncomingMessage & { id?: unknown }) => ({
      id: req.id,
      method: req.method,
      url: redactUrl(req.url ?? ''),
    }),
    res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
  },
};

/**
 * nestjs-pino provides Nest's logger on the root pino logger, without its per-request middleware (`forRoutes: []`):
 * that middleware runs every request inside an AsyncLocalStorage, whose promise hooks made every promise of every
 * request pay (a twentieth of the API's CPU under load). Requests are logged by `requestLogger()` instead, and service
 * log lines carry their own identifiers (payment, attempt, event ids) rather than the request id.
 */
export function loggerModuleParams(settings: LoggerSettings): Params {
  return { pinoHttp: { logger: createRootLogger(settings), ...HTTP_LOG_OPTIONS }, forRoutes: [] };
}

/**
 * pino-http on the root logger nestjs-pino was given (made on the first request, once Nest has set it up). pino-http
 * writes every request line, failures included, at `info`; below that level (`warn` in production) it would still
 * make a child logger and listeners per request to write nothing, so requests then skip it.
 */
export function requestLogger(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  let log: HttpLogger | undefined;
  return (req, res, next) => {
    if (!PinoLogger.root.isLevelEnabled('info')) return next();
    log ??= pinoHttp({ logger: PinoLogger.root, ...HTTP_LOG_OPTIONS });
    log(req, res, next);
  };
}
