import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHmac, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { safeEqual } from '@switchyard/common';
import { readCookie } from '../dashboard/dashboard.http';

export const CHECKOUT_COOKIE = 'sy_checkout';
const COOKIE_SECONDS = 7 * 86400;
const NONCE = /^[0-9a-f]{32}$/;

/** A form post this page did not send (cross-site, stale, or without the page's cookie). */
export class CheckoutCsrfRejected extends Error {}

/**
 * CSRF for the checkout form: the page sets a random nonce in an HttpOnly, SameSite=Strict cookie scoped to the page's
 * own path, and puts HMAC(server key, payment id + nonce) in the form. A post must carry both, and a browser that says
 * where it comes from (Sec-Fetch-Site, a non-null Origin) must say it is this site.
 */
@Injectable()
export class CheckoutCsrf {
  private readonly key: Buffer;
  private readonly origin: string;
  private readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.API_KEY_HASH_SECRET).update('switchyard checkout csrf v1').digest();
    this.origin = new URL(config.PUBLIC_BASE_URL).origin;
    this.secure = config.PUBLIC_BASE_URL.startsWith('https:');
  }

  /** Sets the cookie for this page and returns the token its form carries. */
  issue(req: Request, res: Response, paymentId: string): string {
    const existing = readCookie(req, CHECKOUT_COOKIE);
    const nonce = existing && NONCE.test(existing) ? existing : randomBytes(16).toString('hex');
    res.cookie(CHECKOUT_COOKIE, nonce, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure || req.secure,
      path: req.path,
      maxAge: COOKIE_SECONDS * 1000,
    });
    return this.token(paymentId, nonce);
  }

  verify(req: Request, paymentId: string, token: string): void {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw new CheckoutCsrfRejected();
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null' && origin !== this.origin) throw new CheckoutCsrfRejected();
    const nonce = readCookie(req, CHECKOUT_COOKIE);
    if (!nonce || !NONCE.test(nonce) || !safeEqual(token, this.token(paymentId, nonce))) {
      throw new CheckoutCsrfRejected();
    }
  }

  private token(paymentId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${paymentId}.${nonce}`).digest('base64url');
  }
}

/**
 * The page's headers: nothing cached, no referrer (the client secret can be in the URL), no framing, no sniffing, and a
 * CSP allowing only the page's own nonce'd style and the theme's logo origin. There is deliberately no `form-action`:
 * Chrome applies it to the redirect after the post, which goes to the processor's hosted page, an origin not known
 * when the page is rendered. The page has no script and one form that posts to its own path.
 */
export function setCheckoutHeaders(res: Response, nonce: string, logoUrl: string | null): void {
  const img = logoUrl ? new URL(logoUrl).origin : "'none'";
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; img-src ${img}; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
}
