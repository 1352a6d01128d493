import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '@switchyard/common';
import { toErrorResponse } from '../common/error-response';
import { CheckoutCsrfRejected, setCheckoutHeaders } from './checkout.http';
import { checkoutErrorPage } from './checkout.view';

interface ErrorPage {
  status: number;
  title: string;
  message: string;
}

/**
 * Checkout errors are pages for browsers (a clear title, no detail on whether a payment exists, never a stack) and the
 * normal error envelope for API clients that ask for JSON.
 */
@Catch()
export class CheckoutExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Checkout');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const nonce = randomBytes(16).toString('base64');
    setCheckoutHeaders(res, nonce, null);
    if (!(exception instanceof CheckoutCsrfRejected) && req.accepts(['html', 'json']) === 'json') {
      const mapped = toErrorResponse(exception);
      if (mapped.internal) mapped.body.error.message = `Something went wrong (error id ${this.log(exception)})`;
      res.status(mapped.status).json(mapped.body);
      return;
    }
    const page = this.describe(exception);
    res
      .status(page.status)
      .type('html')
      .send(checkoutErrorPage(page.status, page.title, page.message, nonce).value);
  }

  private describe(exception: unknown): ErrorPage {
    if (exception instanceof CheckoutCsrfRejected) {
      return {
        status: 403,
        title: 'This form could not be sent',
        message: 'The page was open too long or did not come from this checkout. Reload the page and try again.',
      };
    }
    if (exception instanceof DomainError) {
      if (exception.kind === 'ClientSecretExpired') {
        return {
          status: 410,
          title: 'This payment link has expired',
          message: 'For your security, payment pages expire. Ask the merchant for a new link to complete your order.',
        };
      }
      if (['ClientSecretNotGiven', 'ClientSecretInvalid', 'PaymentNotFound'].includes(exception.kind)) {
        // One answer for a wrong secret, a missing one and an unknown payment or link: nothing says which it was.
        return {
          status: exception.kind === 'PaymentNotFound' ? 404 : exception.status,
          title: 'This payment link is not valid',
          message: 'Check that you opened the complete link the merchant sent you, or ask the merchant for a new one.',
        };
      }
      if (exception.status < 500) {
        return { status: exception.status, title: 'This payment cannot continue', message: exception.message };
      }
    }
    const mapped = toErrorResponse(exception);
    if (!mapped.internal) {
      return { status: mapped.status, title: 'This request cannot be handled', message: mapped.body.error.message };
    }
    return {
      status: 500,
      title: 'Something went wrong',
      message: `Please try again in a moment (error id ${this.log(exception)}).`,
    };
  }

  private log(exception: unknown): string {
    const errorId = randomUUID();
    this.logger.error({
      msg: 'checkout error',
      errorId,
      error: exception instanceof Error ? exception.stack : String(exception),
    });
    return errorId;
  }
}
