/** Small HTTP/HTML helpers shared by the sandbox's own pages and processor modules (never by libs/connectors). */

/** body-parser marks its errors with a `type` (e.g. `entity.parse.failed`) and an HTTP `status`. */
export function isBodyParserError(err: unknown): err is { type: string; status: number } {
  if (typeof err !== 'object' || err === null) return false;
  const { type, status } = err as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number';
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccd;padding:.35rem .6rem;text-align:left;vertical-align:top}
code{background:#f1f3f7;padding:0 .2rem}.banner{background:#fff4d6;border:1px solid #e8c66a;padding:.5rem .8rem}
form{display:inline-block;margin-right:.5rem}button{font-size:1rem;padding:.5rem 1.2rem;cursor:pointer}`;

/** A whole page; `title` is escaped here, `body` must already be escaped HTML. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<p class="banner">Switchyard sandbox: no real money moves here.</p>
${body}
</body>
</html>
`;
}
