/** A tiny browser stand-in for the dashboard: keeps cookies, reads hidden CSRF fields, posts forms without following redirects. */
export class DashboardClient {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(private readonly base: string) {}

  async get(path: string): Promise<{ status: number; location: string | null; html: string; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, { headers: this.headers(), redirect: 'manual' });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
  }

  async post(path: string, fields: Record<string, string>) {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
  }

  async login(adminKey: string): Promise<void> {
    const page = await this.get('/dashboard/login');
    const res = await this.post('/dashboard/login', { csrf: csrfOf(page.html), admin_key: adminKey });
    if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return cookie ? { cookie } : {};
  }

  private remember(res: Response): void {
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1];
}
