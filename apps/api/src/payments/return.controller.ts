import { All, Controller, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ReturnService } from '@switchyard/payments';
import { Auth } from '../common/auth.decorator';
import { TimedRequest } from '../common/latency.middleware';
import { escapeHtml } from '../dashboard/html';

/** The shopper's return from a processor page: GET or form POST. Never trusts what it carries (see ReturnService). */
@ApiExcludeController()
@Controller('payments/:payment_id/:merchant_id/redirect/response/:connector')
export class ReturnController {
  constructor(private readonly returns: ReturnService) {}

  @All()
  @Auth('public')
  async handle(
    @Param('payment_id') paymentId: string,
    @Param('merchant_id') merchantId: string,
    @Param('connector') connector: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.returns.handle(
      paymentId,
      merchantId,
      connector,
      flatten(req.query),
      flatten(req.body),
      (req as TimedRequest).connectorTiming,
    );
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    if (outcome.kind === 'redirect') {
      res.redirect(303, outcome.location);
      return;
    }
    res
      .status(200)
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payment ${escapeHtml(outcome.status)}</title></head>` +
          `<body><main><h1>Payment status: ${escapeHtml(outcome.status)}</h1><p>${escapeHtml(outcome.message)}</p>` +
          `<p>Reference: ${escapeHtml(outcome.paymentId)}</p></main></body></html>`,
      );
  }
}

function flatten(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
