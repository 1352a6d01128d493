import { createHmac } from 'node:crypto';
import type { Merchant } from '../support/client';
import { formsOf, postForm } from '../support/html-forms';

/** Test-side helpers for card payments: the shopper on a sandbox 3-D Secure page, and the signed return check. */

/**
 * The shopper on the processor's 3-D Secure page presses pass or fail, and the browser goes back to Switchyard's
 * return route (Tap: a 303 to `redirect.url?tap_id=…`; Plural: a page whose form posts to `callback_url`).
 * Returns where Switchyard's return route sends the shopper (the merchant's return_url with signed parameters).
 */
export async function threeDsShopper(challengeUrl: string, action: 'pass' | 'fail'): Promise<string | null> {
  const page = await fetch(challengeUrl);
  if (page.status !== 200) throw new Error(`3-D Secure page answered ${page.status}`);
  const button = formsOf(await page.text(), challengeUrl).find((f) => f.html.includes(`id="tds-${action}"`));
  if (!button) throw new Error(`3-D Secure page has no tds-${action} button`);
  let res = await postForm(button);
  for (let hops = 0; hops < 5; hops++) {
    if (res.status === 303 || res.status === 302) {
      const location = res.headers.get('location');
      if (!location) throw new Error('redirect without a location');
      if (!location.startsWith('http://127.0.0.1')) return location;
      res = await fetch(new URL(location, res.url || challengeUrl), { redirect: 'manual' });
      continue;
    }
    if (res.status === 200) {
      const next = formsOf(await res.text(), res.url || challengeUrl).find((f) => f.method === 'post');
      if (!next) return null;
      res = await postForm(next);
      continue;
    }
    throw new Error(`3-D Secure flow answered HTTP ${res.status}`);
  }
  throw new Error('3-D Secure flow did not come back');
}

/** True when the merchant's return URL carries Switchyard's HMAC-SHA512 signature over its sorted parameters. */
export function returnSignatureValid(location: string, merchant: Merchant): boolean {
  const back = new URL(location);
  const signed = [...back.searchParams.entries()]
    .filter(([k]) => k !== 'signature' && k !== 'signature_algorithm')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return back.searchParams.get('signature') === createHmac('sha512', merchant.hashKey).update(signed).digest('hex');
}

/** A card as payment_method_data.card wants it. */
export function card(number: string, expiry: string, cvc: string, holder = 'Card Holder'): Record<string, string> {
  const [month, year] = expiry.split('/');
  return {
    card_number: number,
    card_exp_month: month,
    card_exp_year: year.length === 2 ? `20${year}` : year,
    card_holder_name: holder,
    card_cvc: cvc,
  };
}
