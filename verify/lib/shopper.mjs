// The shopper on each processor's hosted page, written from the sandbox's pages (plain HTML forms): open the page, press a
// button, and (optionally) come back to Switchyard's return route the way the browser would. Never throws: answers what
// happened, so a flow under faults can carry on.

const FETCH_TIMEOUT_MS = 15_000;

async function get(url, init = {}) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), ...init });
  const text = await res.text();
  return { status: res.status, text, location: res.headers.get('location') };
}

const unescape = (value) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** `<form>` blocks: action (absolute), inner HTML, hidden fields. */
export function formsOf(html, base) {
  return [...html.matchAll(/<form[^>]*\saction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({
    action: new URL(unescape(m[1]), base).toString(),
    html: m[2],
    fields: Object.fromEntries(
      [...m[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [f[1], unescape(f[2])]),
    ),
  }));
}

const postForm = (form) =>
  get(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
  });

/** Follows our return route (303 to the merchant's return_url) and reads the status it reports. */
async function comeBack(location, init) {
  const back = await get(location, init);
  let status = null;
  if (back.location) {
    try {
      status = new URL(back.location).searchParams.get('status');
    } catch {
      status = null;
    }
  }
  return { httpStatus: back.status, status };
}

/**
 * Acts on the hosted page at `redirectUrl` of `connector`. `action`: pay | fail | cancel | pay3 (Plural's three tries).
 * Returns `{ acted, pageStatus, returned: { httpStatus, status } | null, error }`.
 */
export async function shopperActs(connector, redirectUrl, action, { comeBack: back = true } = {}) {
  try {
    if (connector === 'plural') return await pluralActs(redirectUrl, action, back);
    const page = await get(redirectUrl);
    if (page.status !== 200) return { acted: false, pageStatus: page.status, returned: null, error: null };
    let actionUrl;
    if (connector === 'tap') {
      const form = new RegExp(`<form method="post" action="([^"]+)"><button type="submit" id="${action}"`).exec(
        page.text,
      );
      if (!form) return { acted: false, pageStatus: page.status, returned: null, error: `no ${action} button` };
      actionUrl = new URL(unescape(form[1]), redirectUrl).toString();
    } else {
      actionUrl = `${redirectUrl}/${action}`;
    }
    const pressed = await get(actionUrl, { method: 'POST' });
    if (pressed.status !== 303 || !pressed.location) {
      return { acted: false, pageStatus: pressed.status, returned: null, error: null };
    }
    return { acted: true, pageStatus: 303, returned: back ? await comeBack(pressed.location) : null, error: null };
  } catch (error) {
    return { acted: null, pageStatus: null, returned: null, error: error?.cause?.code ?? error?.name ?? String(error) };
  }
}

async function pluralActs(redirectUrl, action, back) {
  const tries = action === 'pay3' ? 3 : 1;
  const button = action === 'fail' ? 'fail' : 'pay';
  let pageUrl = redirectUrl;
  let html = null;
  for (let i = 0; i < tries; i++) {
    const page = html === null ? await get(pageUrl) : { status: 200, text: html };
    if (page.status !== 200) return { acted: i > 0, pageStatus: page.status, returned: null, error: null };
    const form = formsOf(page.text, pageUrl).find((f) => f.html.includes(`id="${button}"`));
    if (!form) return { acted: i > 0, pageStatus: page.status, returned: null, error: `no ${button} button` };
    const answer = await postForm(form);
    if (answer.status !== 200) return { acted: i > 0, pageStatus: answer.status, returned: null, error: null };
    const callback = formsOf(answer.text, pageUrl).find((f) => f.html.includes('id="continue"'));
    if (callback) {
      if (!back) return { acted: true, pageStatus: 200, returned: null, error: null };
      const result = await postForm(callback);
      let status = null;
      if (result.location) {
        try {
          status = new URL(result.location).searchParams.get('status');
        } catch {
          status = null;
        }
      }
      return { acted: true, pageStatus: 200, returned: { httpStatus: result.status, status }, error: null };
    }
    html = answer.text; // a failed try: the page is shown again
  }
  return { acted: true, pageStatus: 200, returned: null, error: null };
}
