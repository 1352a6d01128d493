import type { NextFunction, Request, Response } from 'express';
import { connectorTimeSoFar, runWithRequestTiming } from '@switchyard/common';

/**
 * `x-switchyard-latency`: milliseconds spent inside Switchyard for this request, connector calls excluded (like
 * Hyperswitch's `x-hs-latency`). Set as the headers are written, so every answer carries it, errors included.
 */
export function latencyMiddleware(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  runWithRequestTiming(() => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      if (!res.headersSent) {
        const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
        res.setHeader('x-switchyard-latency', Math.max(0, totalMs - connectorTimeSoFar()).toFixed(2));
      }
      return writeHead(...args);
    }) as Response['writeHead'];
    next();
  });
}
