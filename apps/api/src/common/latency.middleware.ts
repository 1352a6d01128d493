import type { NextFunction, Request, Response } from 'express';
import { ConnectorTiming } from '@switchyard/common';

export interface TimedRequest extends Request {
  connectorTiming?: ConnectorTiming;
}

/**
 * `x-switchyard-latency`: milliseconds spent inside Switchyard for this request, connector calls excluded (like
 * Hyperswitch's `x-hs-latency`). Set as the headers are written, so every answer carries it, errors included. The
 * request's ConnectorTiming reaches the connector calls through the caller (`CurrentCaller`), not async context.
 */
export function latencyMiddleware(req: TimedRequest, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  const timing = new ConnectorTiming();
  req.connectorTiming = timing;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((...args: unknown[]) => {
    if (!res.headersSent) {
      const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
      res.setHeader('x-switchyard-latency', Math.max(0, totalMs - timing.connectorMs).toFixed(2));
    }
    return writeHead(...args);
  }) as Response['writeHead'];
  next();
}
