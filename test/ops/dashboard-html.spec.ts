import { escapeHtml, html, money, prettyJson, query } from '../../apps/api/src/dashboard/html';

/** The dashboard's only way to build markup: values are escaped unless they are markup `html` already produced. */
describe('dashboard html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `<img src=x onerror="alert('x')">&`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>',
    );
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('nests html fragments and arrays without double escaping, and drops null, undefined and false', () => {
    const markup = html; // not the name prettier formats as HTML: this test is about exact output
    const items = ['a<b', 'c'].map((t) => markup`<li>${t}</li>`);
    expect(markup`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('formats money exactly and redacts secret-looking keys in JSON', () => {
    expect(money(1005, 'KWD')).toBe('1.005 KWD');
    expect(money(4250, 'USD')).toBe('42.50 USD');
    expect(prettyJson({ api_key: 'sk_live_x', nested: { client_secret: 'cs', status: 'ok' } })).not.toMatch(
      /sk_live_x|"cs"/,
    );
    expect(query({ merchant_id: 'm 1', status: undefined })).toBe('?merchant_id=m+1');
  });
});
