import { currencyExponent, isKnownCurrency, minorToMajorString } from '@switchyard/common';
import type { CheckoutView, ResolvedTheme } from '@switchyard/checkout';
import { html, SafeHtml } from '../dashboard/html';
import { CheckoutMessages, MESSAGES } from './checkout.messages';

/** What the form needs besides the view: where it posts, its CSRF token, and the client secret when that is the key. */
export interface FormContext {
  action: string;
  csrf: string;
  clientSecret: string | null;
  error: string | null;
}

/** The amount in the currency's own exponent (KWD 3, JPY 0), formatted for the page's locale without floats. */
export function formatAmount(minor: number, currency: string, locale: string): string {
  if (!isKnownCurrency(currency)) return `${minor} ${currency}`;
  const exponent = currencyExponent(currency);
  const decimal = minorToMajorString(minor, exponent);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    // A decimal string is formatted exactly (Intl.NumberFormat v3); a number would lose digits above 2^53.
    return (format.format as unknown as (value: string) => string)(decimal);
  } catch {
    return `${decimal} ${currency}`;
  }
}

/** The hosted checkout page: plain HTML and one nonce'd style block, no script. */
export function checkoutPage(view: CheckoutView, form: FormContext | null, nonce: string): SafeHtml {
  const t = MESSAGES[view.theme.locale];
  const amount = formatAmount(view.amount, view.currency, view.theme.locale);
  let content: SafeHtml;
  switch (view.state) {
    case 'payable':
      content = payForm(view, form, t, amount);
      break;
    case 'action_required':
      content = html`<section class="status" aria-labelledby="status-title">
        <h1 id="status-title">${t.continueTitle}</h1>
        <p id="payment-status" data-status="${view.status}">${t.continueText}</p>
        ${
          view.nextActionUrl
            ? html`<a class="pay-button" id="continue" href="${view.nextActionUrl}">${t.continueButton}</a>`
            : ''
        }
      </section>`;
      break;
    case 'processing':
      content = html`<section class="status" aria-labelledby="status-title">
        <h1 id="status-title">${t.processingTitle}</h1>
        <p id="payment-status" data-status="${view.status}" role="status">${t.processingText}</p>
        <a class="secondary" href="">${t.refresh}</a>
      </section>`;
      break;
    case 'final':
      content = html`<section class="status final" aria-labelledby="status-title">
        <h1 id="status-title">${t.statuses[view.status] ?? view.status}</h1>
        <p id="payment-status" data-status="${view.status}">${t.finalStatus}</p>
        ${
          view.returnPath
            ? html`<a class="pay-button" id="return" href="${view.returnPath}"
                >${t.backToMerchant(view.merchantName)}</a
              >`
            : ''
        }
      </section>`;
      break;
  }
  return html`<!doctype html>
    <html lang="${view.theme.locale}" dir="${view.theme.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        ${view.state === 'processing' ? html`<meta http-equiv="refresh" content="5" />` : ''}
        <title>${t.title(view.merchantName)}</title>
        <style nonce="${nonce}">
          ${new SafeHtml(css(view.theme))}
        </style>
      </head>
      <body>
        <main class="checkout">
          ${view.preview ? html`<p class="preview" role="note">${t.preview}</p>` : ''}
          <header class="merchant">
            ${
              view.theme.logoUrl
                ? html`<img src="${view.theme.logoUrl}" alt="${view.merchantName}" width="120" height="40" />`
                : ''
            }
            <p class="merchant-name" id="merchant-name">${view.merchantName}</p>
          </header>
          <section class="summary" aria-label="${t.amountDue}">
            <p class="label">${t.amountDue}</p>
            <p class="amount" id="amount">${amount}</p>
            ${view.description ? html`<p class="description">${view.description}</p>` : ''}
          </section>
          ${content}
          <footer>
            <p>${t.secured} · ${t.reference} <span id="payment-id">${view.paymentId}</span></p>
          </footer>
        </main>
      </body>
    </html>`;
}

function payForm(view: CheckoutView, form: FormContext | null, t: CheckoutMessages, amount: string): SafeHtml {
  if (view.methods.length === 0) {
    return html`<p class="notice" id="no-methods" role="alert">${t.noMethods}</p>`;
  }
  const only = view.methods.length === 1;
  const options = view.methods.map(
    (m) =>
      html`<label class="method"
        ><input
          type="radio"
          name="payment_method"
          value="${m.paymentMethod}"
          required
          ${only || view.selectedMethod === m.paymentMethod ? html`checked` : ''}
        /><span>${t.methods[m.paymentMethod] ?? m.paymentMethod}</span></label
      >`,
  );
  const label = view.theme.buttonLabel ?? t.pay(amount);
  // The preview has no action and a disabled button: nothing to post to.
  return html`<form method="post" ${form ? html`action="${form.action}"` : ''} class="pay">
    ${form ? html`<input type="hidden" name="csrf" value="${form.csrf}" />` : ''}
    ${form?.clientSecret ? html`<input type="hidden" name="client_secret" value="${form.clientSecret}" />` : ''}
    ${form?.error ? html`<p class="error" id="form-error" role="alert">${form.error}</p>` : ''}
    <fieldset>
      <legend>${t.chooseMethod}</legend>
      ${options}
    </fieldset>
    <button type="submit" class="pay-button" id="pay-button" ${view.preview ? html`disabled` : ''}>${label}</button>
  </form>`;
}

/** Theme values were validated on save and again by resolveTheme: colours are hex, the font a plain name list. */
function css(theme: ResolvedTheme): string {
  return `:root{--primary:${theme.primaryColor};--bg:${theme.backgroundColor};--text:${theme.textColor};--button:${theme.buttonColor};--button-text:${theme.buttonTextColor};--radius:${theme.borderRadius}px}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font-family:${theme.fontFamily};font-size:16px;line-height:1.45}
.checkout{max-width:30rem;margin:0 auto;padding:1.25rem 1rem 1rem}
.merchant{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}
.merchant img{max-height:40px;max-width:120px;width:auto;height:auto;object-fit:contain}
.merchant-name{font-weight:700;font-size:1.1rem;margin:0}
.summary{padding:1rem;border-radius:var(--radius);background:rgba(127,127,127,.08);margin-bottom:1rem}
.summary p{margin:0}
.label{font-size:.9rem;opacity:.8}
.amount{font-size:2rem;font-weight:700;letter-spacing:-.01em}
.description{margin-top:.25rem}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:600;margin-bottom:.5rem;padding:0}
.method{display:flex;align-items:center;gap:.75rem;min-height:3rem;padding:.5rem 1rem;border:1px solid rgba(127,127,127,.45);border-radius:var(--radius);margin-bottom:.5rem;cursor:pointer;background:rgba(255,255,255,.04)}
.method:has(input:checked){border-color:var(--primary);box-shadow:0 0 0 1px var(--primary)}
.method input{width:1.25rem;height:1.25rem;margin:0;accent-color:var(--primary)}
.pay-button{display:flex;align-items:center;justify-content:center;width:100%;min-height:3.25rem;padding:.75rem 1rem;border:0;border-radius:var(--radius);background:var(--button);color:var(--button-text);font:inherit;font-size:1.125rem;font-weight:700;text-align:center;text-decoration:none;cursor:pointer}
.pay-button:disabled{opacity:.6;cursor:not-allowed}
.secondary{color:var(--primary)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--primary);outline-offset:2px}
.status h1{font-size:1.4rem;margin:0 0 .5rem}
.status p{margin:0 0 1rem}
.error,.notice{padding:.75rem 1rem;border-radius:var(--radius);border:1px solid #b42318;color:#b42318;background:#fef3f2}
.preview{padding:.5rem 1rem;border-radius:var(--radius);background:#fff4d6;color:#5c4300;border:1px dashed #b88a00}
footer{margin-top:1.25rem;font-size:.8rem;opacity:.75;text-align:center}
footer p{margin:0}`;
}

/** An error as a page of its own (bad or expired link, refused form), in the default theme. */
export function checkoutErrorPage(status: number, title: string, message: string, nonce: string): SafeHtml {
  return html`<!doctype html>
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        <style nonce="${nonce}">
          body {
            margin: 0;
            font-family: system-ui, sans-serif;
            background: #f6f7f9;
            color: #1a1d24;
            line-height: 1.45;
          }
          main {
            max-width: 30rem;
            margin: 0 auto;
            padding: 2rem 1rem;
          }
          h1 {
            font-size: 1.4rem;
          }
        </style>
      </head>
      <body>
        <main>
          <h1 id="error-title" data-status="${status}">${title}</h1>
          <p id="error-message">${message}</p>
        </main>
      </body>
    </html>`;
}
