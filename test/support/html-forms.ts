/** The `<form>`s of the plain server-rendered pages the sandboxes answer, as a browser would submit them. */

export interface HtmlForm {
  action: string;
  method: string;
  /** Named inputs with a value (hidden fields included). */
  fields: Record<string, string>;
  /** The form's inner HTML, to find a button by id. */
  html: string;
}

const unescape = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function formsOf(html: string, base: string): HtmlForm[] {
  return [...html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const action = /\saction="([^"]*)"/.exec(m[1])?.[1] ?? '';
    const method = /\smethod="([^"]*)"/.exec(m[1])?.[1] ?? 'get';
    return {
      action: new URL(unescape(action), base).toString(),
      method: method.toLowerCase(),
      html: m[2],
      fields: Object.fromEntries(
        [...m[2].matchAll(/<input[^>]*\sname="([^"]+)"[^>]*\svalue="([^"]*)"[^>]*>/g)].map((f) => [
          f[1],
          unescape(f[2]),
        ]),
      ),
    };
  });
}

/** Posts a form url-encoded, not following the answer's redirect. */
export const postForm = (form: Pick<HtmlForm, 'action' | 'fields'>) =>
  fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
    redirect: 'manual',
  });
