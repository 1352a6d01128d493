import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface TlsFront {
  /** `https://127.0.0.1:<port>`: the sandbox's paths, over TLS. */
  url: string;
  close(): Promise<void>;
}

/**
 * Live-mode connector accounts must use https base URLs, and the sandbox speaks plain HTTP: this HTTPS reverse proxy in
 * front of it (a throwaway self-signed certificate made with openssl) lets live accounts reach the sandbox. Only this
 * test process trusts the certificate, and only for this port: tls.connect gets it as `ca` for that one address.
 */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'pipe' });
  } catch (error: unknown) {
    throw new Error(`openssl could not make the test certificate (is openssl installed?): ${String(error)}`);
  }
  const cert = readFileSync(certFile, 'utf8');
  const upstream = new URL(target);
  const server = https.createServer({ key: readFileSync(keyFile), cert }, (req, res) => {
    const forward = http.request(
      new URL(req.url ?? '/', upstream),
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const original = tls.connect;
  const trusting = ((...args: unknown[]) => {
    const options = args[0] as { port?: unknown; host?: unknown } | null;
    if (options && typeof options === 'object' && Number(options.port) === port && options.host === '127.0.0.1') {
      args[0] = { ...options, ca: cert };
    }
    return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
  tls.connect = trusting;

  return {
    url: `https://127.0.0.1:${port}`,
    async close() {
      if (tls.connect === trusting) tls.connect = original;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
