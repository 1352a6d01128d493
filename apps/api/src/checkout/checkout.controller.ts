import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { CheckoutAccess, CheckoutService, CheckoutView } from '@switchyard/checkout';
import { Auth } from '../common/auth.decorator';
import { CheckoutForm } from './checkout.dto';
import { CheckoutExceptionFilter } from './checkout.filter';
import { CheckoutCsrf, setCheckoutHeaders } from './checkout.http';
import { MESSAGES } from './checkout.messages';
import { TimedRequest } from '../common/latency.middleware';
import { checkoutPage } from './checkout.view';

/** Where a page posts and comes back to, and what its CSRF token is bound to. */
interface PageRef {
  /** The page's own path; the form posts here. */
  path: string;
  /** The page's URL to come back to after a post (with the client secret when that is the credential). */
  url: string;
  /** The payment id or payment link id in the path. */
  subject: string;
  clientSecret: string | null;
}

/**
 * The shopper's hosted checkout. No API key: the payment's client secret or a payment link id is the credential.
 * GET renders the page; POST (form, CSRF-checked) confirms through the payments API's own confirm and answers 303 to
 * the processor's page, or back to the page, which then shows where the payment is.
 */
@ApiTags('Checkout')
@Auth('public')
@UseFilters(CheckoutExceptionFilter)
@Controller()
export class CheckoutController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly csrf: CheckoutCsrf,
  ) {}

  @Get('checkout/:payment_id')
  @ApiOperation({ summary: 'Hosted checkout page (HTML) for a payment, opened with its client_secret' })
  @ApiProduces('text/html')
  @ApiQuery({ name: 'client_secret', required: true })
  @ApiResponse({ status: 200, description: 'the page: pay form, next step, or final status' })
  @ApiResponse({ status: 400, description: 'missing or wrong client_secret (IR_08 / IR_09 as JSON)' })
  @ApiResponse({ status: 410, description: 'client_secret expired' })
  async page(
    @Param('payment_id') paymentId: string,
    @Query('client_secret') clientSecret: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const secret = typeof clientSecret === 'string' ? clientSecret : undefined;
    const view = await this.checkout.open({ via: 'client_secret', paymentId, clientSecret: secret });
    this.render(req, res, view, secretPage(paymentId, secret ?? ''), 200, null);
  }

  @Post('checkout/:payment_id')
  @HttpCode(303)
  @ApiOperation({ summary: 'The checkout form post: confirm with the chosen payment method (CSRF-protected)' })
  @ApiProduces('text/html')
  async pay(
    @Param('payment_id') paymentId: string,
    @Body() form: CheckoutForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const secret = form.client_secret ?? '';
    await this.submit(req, res, form, secretPage(paymentId, secret), {
      via: 'client_secret',
      paymentId,
      clientSecret: form.client_secret,
    });
  }

  @Get('payment_link/:merchant_id/:payment_link_id')
  @ApiOperation({ summary: 'A payment link: the hosted checkout page for the payment it was made for' })
  @ApiProduces('text/html')
  @ApiParam({ name: 'payment_link_id', description: 'plink_…, the link credential' })
  @ApiResponse({ status: 200, description: 'the page' })
  @ApiResponse({ status: 404, description: 'unknown link' })
  @ApiResponse({ status: 410, description: 'the link expired' })
  async link(
    @Param('merchant_id') merchantId: string,
    @Param('payment_link_id') paymentLinkId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.checkout.open({ via: 'link', merchantId, paymentLinkId });
    this.render(req, res, view, linkPage(merchantId, paymentLinkId), 200, null);
  }

  @Post('payment_link/:merchant_id/:payment_link_id')
  @HttpCode(303)
  @ApiOperation({ summary: 'The payment link form post (CSRF-protected)' })
  @ApiProduces('text/html')
  async payLink(
    @Param('merchant_id') merchantId: string,
    @Param('payment_link_id') paymentLinkId: string,
    @Body() form: CheckoutForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.submit(req, res, form, linkPage(merchantId, paymentLinkId), {
      via: 'link',
      merchantId,
      paymentLinkId,
    });
  }

  private async submit(
    req: Request,
    res: Response,
    form: CheckoutForm,
    page: PageRef,
    access: CheckoutAccess,
  ): Promise<void> {
    this.csrf.verify(req, page.subject, form.csrf);
    const outcome = await this.checkout.pay(access, form.payment_method, (req as TimedRequest).connectorTiming);
    if (outcome.kind === 'invalid_method') {
      const message = MESSAGES[outcome.view.theme.locale].pickMethod;
      this.render(req, res, outcome.view, page, 400, message);
      return;
    }
    setCheckoutHeaders(res, randomBytes(16).toString('base64'), null);
    res.redirect(303, outcome.kind === 'redirect' ? outcome.location : page.url);
  }

  private render(
    req: Request,
    res: Response,
    view: CheckoutView,
    page: PageRef,
    status: number,
    error: string | null,
  ): void {
    const nonce = randomBytes(16).toString('base64');
    const csrf = view.state === 'payable' ? this.csrf.issue(req, res, page.subject) : '';
    setCheckoutHeaders(res, nonce, view.theme.logoUrl);
    const form = { action: page.path, csrf, clientSecret: page.clientSecret, error };
    res
      .status(status)
      .type('html')
      .send(checkoutPage(view, form, nonce).value);
  }
}

function secretPage(paymentId: string, clientSecret: string): PageRef {
  const path = `/checkout/${encodeURIComponent(paymentId)}`;
  return {
    path,
    url: `${path}?client_secret=${encodeURIComponent(clientSecret)}`,
    subject: paymentId,
    clientSecret,
  };
}

function linkPage(merchantId: string, paymentLinkId: string): PageRef {
  const path = `/payment_link/${encodeURIComponent(merchantId)}/${encodeURIComponent(paymentLinkId)}`;
  return { path, url: path, subject: paymentLinkId, clientSecret: null };
}
