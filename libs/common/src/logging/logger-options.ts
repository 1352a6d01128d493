import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Params } from 'nestjs-pino';
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

export function loggerModuleParams(settings: LoggerSettings): Params {
  return {
    pinoHttp: {
      logger: createRootLogger(settings),
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
    },
  };
}
