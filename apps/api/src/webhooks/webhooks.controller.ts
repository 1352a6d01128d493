import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@switchyard/common';
import { IncomingWebhooksService } from '@switchyard/webhooks';
import { Auth } from '../common/auth.decorator';

/**
 * Connector webhooks: authenticated by the connector account's own signature scheme (not an API key). Verify → store
 * deduplicated → enqueue → 200; the worker applies the event.
 */
@ApiExcludeController()
@Controller('webhooks/:merchant_id/:connector_account_id')
export class WebhooksController {
  constructor(private readonly webhooks: IncomingWebhooksService) {}

  @Post()
  @HttpCode(200)
  @Auth('public')
  async receive(
    @Param('merchant_id') merchantId: string,
    @Param('connector_account_id') connectorAccountId: string,
    @Req() req: RawBodyRequest<Request>,
  ) {
    if (!req.rawBody) throw new DomainError('MalformedRequestBody', 'Bad request body received');
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[key.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[key.toLowerCase()] = value.join(', ');
    }
    const outcome = await this.webhooks.receive(merchantId, connectorAccountId, headers, req.rawBody);
    return { received: true, outcome };
  }
}
