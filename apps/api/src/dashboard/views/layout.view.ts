import { html, SafeHtml } from '../html';

export type Section = 'payments' | 'connectors' | 'webhooks' | 'recon';

const NAV: ReadonlyArray<[Section, string, string]> = [
  ['payments', 'Payments', '/dashboard/payments'],
  ['connectors', 'Connector accounts', '/dashboard/connectors'],
  ['webhooks', 'Webhook deliveries', '/dashboard/webhooks'],
  ['recon', 'Reconciliation', '/dashboard/recon'],
];

function document(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Switchyard ops</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        ${body}
      </body>
    </html>`;
}

/** Every signed-in page: navigation, the logout form (a POST with the CSRF token), an optional notice, the content. */
export function layout(page: {
  title: string;
  section: Section;
  csrf: string;
  body: SafeHtml;
  notice?: string | null;
}): SafeHtml {
  const links = NAV.map(
    ([id, label, href]) =>
      html`<li><a href="${href}" ${id === page.section ? html` aria-current="page"` : ''}>${label}</a></li>`,
  );
  return document(
    page.title,
    html`<header>
        <nav aria-label="Sections">
          <span class="brand">Switchyard ops</span>
          <ul>
            ${links}
          </ul>
        </nav>
        <form method="post" action="/dashboard/logout" class="logout">
          <input type="hidden" name="csrf" value="${page.csrf}" />
          <button type="submit">Log out</button>
        </form>
      </header>
      <main id="main">
        ${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ''} ${page.body}
      </main>`,
  );
}

export function loginPage(csrf: string, error: string | null): SafeHtml {
  return document(
    'Log in',
    html`<main id="main" class="login">
      <h1>Switchyard ops</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/dashboard/login">
        <input type="hidden" name="csrf" value="${csrf}" />
        <label for="admin_key">Admin API key</label>
        <input id="admin_key" name="admin_key" type="password" autocomplete="current-password" required autofocus />
        <button type="submit">Log in</button>
      </form>
      <p class="hint">The key is checked once; the session cookie holds a random id, never the key.</p>
    </main>`,
  );
}

export function errorPage(status: number, message: string): SafeHtml {
  return document(
    `Error ${status}`,
    html`<main id="main">
      <h1>Error ${status}</h1>
      <p class="error" role="alert">${message}</p>
      <p><a href="/dashboard/payments">Back to the dashboard</a></p>
    </main>`,
  );
}

export const DASHBOARD_CSS = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; }
body { margin: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
header { display: flex; align-items: center; justify-content: space-between; background: #1d2b3a; color: #fff; padding: 0 16px; }
header nav { display: flex; align-items: center; gap: 24px; }
header ul { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0; }
header a { color: #dbe7f3; text-decoration: none; padding: 14px 0; display: inline-block; }
header a[aria-current="page"] { color: #fff; border-bottom: 3px solid #6cb4ff; }
.brand { font-weight: 700; }
main { padding: 16px 24px; }
main.login { max-width: 360px; margin: 10vh auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
main.login input, main.login button { display: block; width: 100%; margin: 8px 0; box-sizing: border-box; }
a:focus, button:focus, input:focus, select:focus, summary:focus { outline: 3px solid #f0a500; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: 8px 0 24px; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
form.filters { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; margin-bottom: 12px; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; gap: 2px; }
input, select, button { font: inherit; padding: 6px 8px; }
button { cursor: pointer; }
pre { background: #f0f2f4; padding: 8px; overflow-x: auto; font-size: 12px; margin: 4px 0; }
td pre { max-width: 34em; overflow-x: auto; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 4px 16px; background: #fff; padding: 12px; border: 1px solid #d0d7de; }
dl.summary dt { font-weight: 600; }
.status { font-family: ui-monospace, monospace; }
.notice { background: #e6f4ea; border: 1px solid #a8d5b5; padding: 8px; }
.error { background: #fdecea; border: 1px solid #f5b5ae; padding: 8px; }
ol.timeline { background: #fff; border: 1px solid #d0d7de; padding: 12px 12px 12px 36px; }
ol.timeline li { margin: 4px 0; }
.logout button { background: transparent; color: #fff; border: 1px solid #6c7f93; border-radius: 4px; }
`;
