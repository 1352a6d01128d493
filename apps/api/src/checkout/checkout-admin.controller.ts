import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { CheckoutService } from '@switchyard/checkout';
import { Errors, isKnownCurrency } from '@switchyard/common';
import type { AuthContext } from '@switchyard/merchants';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import { PaymentLinkCreateDto, PreviewQuery, themeToJson } from './checkout.dto';
import { setCheckoutHeaders } from './checkout.http';
import { checkoutPage } from './checkout.view';

/** `POST /payment_links`: a shareable checkout link for an existing payment that waits for the shopper. */
@ApiTags('Payment links')
@ApiSecurity('api-key')
@Controller('payment_links')
export class PaymentLinksController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @HttpCode(200)
  @Auth('merchant')
  @ApiOperation({
    summary: 'Create a payment link for a payment in requires_payment_method / requires_confirmation',
    description:
      'Returns {payment_id, merchant_id, link, payment_link_id, secure_link, expires_at}. The payment client_secret ' +
      'expires with the link (session_expiry seconds, default 900, at most 7 days); a new link replaces the old one.',
  })
  async create(@CurrentAuth() auth: AuthContext, @Body() dto: PaymentLinkCreateDto) {
    if (auth.kind !== 'merchant') throw Errors.unauthorized();
    return this.checkout.createLink({ merchantId: auth.merchantId, mode: auth.mode }, dto.payment_id, {
      sessionExpiry: dto.session_expiry,
      config: themeToJson(dto.payment_link_config),
    });
  }
}

/** Ops: the profile's checkout with a sample payment, to check a theme before shoppers see it. */
@ApiTags('Business profiles')
@ApiSecurity('api-key')
@Controller('account/:merchant_id/business_profile/:profile_id/checkout')
export class CheckoutPreviewController {
  constructor(private readonly checkout: CheckoutService) {}

  @Get('preview')
  @Auth('admin', 'merchant')
  @ApiOperation({
    summary: 'Preview the hosted checkout with this profile theme (HTML, sample payment, no live pay button)',
    description: 'Query: amount (minor units, default 10000), currency (default USD), mode (admin key only).',
  })
  @ApiProduces('text/html')
  async preview(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('profile_id') profileId: string,
    @Query() query: PreviewQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (query.currency && !isKnownCurrency(query.currency)) {
      throw Errors.invalidFormat('currency', 'an ISO 4217 currency code');
    }
    const mode = auth.kind === 'merchant' ? auth.mode : query.mode === 'live' ? 'live' : 'test';
    const view = await this.checkout.preview(merchantId, profileId, {
      amount: query.amount ? Number(query.amount) : 10000,
      currency: query.currency ?? 'USD',
      mode,
    });
    const nonce = randomBytes(16).toString('base64');
    setCheckoutHeaders(res, nonce, view.theme.logoUrl);
    res
      .status(200)
      .type('html')
      .send(checkoutPage(view, null, nonce).value);
  }
}
