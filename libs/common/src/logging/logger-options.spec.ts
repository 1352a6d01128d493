import { createServer, IncomingMessage, Server } from 'node:http';
import { Writable } from 'node:stream';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { requestLogger } from './logger-options';

describe('requestLogger', () => {
  const lines: Array<{ msg?: string; req?: { url?: string } }> = [];
  let seen: Array<IncomingMessage & { log?: unknown }> = [];
  let server: Server;
  let base: string;
  const root = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );

  beforeAll(async () => {
    (PinoLogger as unknown as { root: pino.Logger }).root = root; // what nestjs-pino sets up in the apps
    const middleware = requestLogger();
    server = createServer((req, res) => {
      middleware(req, res, () => {
        seen.push(req);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    lines.length = 0;
    seen = [];
  });

  async function finished(path: string): Promise<void> {
    await (await fetch(`${base}${path}`)).text();
    await new Promise((resolve) => setImmediate(resolve)); // the line is written on the response's 'finish'
  }

  it('writes one line per request at info, with the URL redacted', async () => {
    root.level = 'info';
    await finished('/payments?client_secret=pay_1_secret_abc');
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toBe('request completed');
    expect(lines[0].req?.url).not.toContain('pay_1_secret_abc');
    expect(seen[0].log).toBeDefined();
  });

  it('does no per-request logging work when info is off (pino-http would write nothing)', async () => {
    root.level = 'warn';
    await finished('/payments');
    expect(seen).toHaveLength(1);
    expect(seen[0].log).toBeUndefined();
    expect(lines).toHaveLength(0);
  });
});
