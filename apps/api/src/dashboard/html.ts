import { currencyExponent, isKnownCurrency, minorToMajorString, redactSecrets } from '@switchyard/common';

/** Markup that is already safe: produced by `html` (which escaped every interpolated value) or a fixed literal. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The only way the dashboard builds markup: every interpolated value is escaped unless it is SafeHtml (the result of
 * another `html` call), so data from the database can never become markup. Arrays are rendered item by item.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Date) return escapeHtml(value.toISOString());
  return escapeHtml(String(value));
}

/** A query string whose values are URL-encoded; still escaped when interpolated into an attribute. */
export function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => !!e[1]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** `10.00 USD` from minor units, exact (string arithmetic); unknown currencies show the minor units. */
export function money(minor: number, currency: string): string {
  return isKnownCurrency(currency)
    ? `${minorToMajorString(minor, currencyExponent(currency))} ${currency}`
    : `${minor} (minor units) ${currency}`;
}

/** JSON for a <pre>, with secret-looking keys redacted as in the logs. */
export function prettyJson(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(redactSecrets(value), null, 2);
}

export const time = (d: Date | null): SafeHtml =>
  d ? html`<time datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 19)}</time>` : html`—`;
