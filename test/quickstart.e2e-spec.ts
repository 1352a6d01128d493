import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shopperActs } from './support/client';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The README's quick start as a newcomer runs it: `npm start` (scripts/start.mjs) brings up API, worker and sandbox, seeds
 * the demo merchant and prints a key that takes a payment; Ctrl-C (SIGINT) stops everything and exits 0.
 * Uses the suite's Postgres and Redis through DATABASE_URL / REDIS_URL, as the README says a user may.
 */
describe('Quick start (npm start)', () => {
  it('starts the stack, prints a working demo key and stops cleanly on Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-start-'));
    const [port, sandboxPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        SWITCHYARD_DATA_DIR: dataDir,
        PORT: String(port),
        SANDBOX_PORT: String(sandboxPort),
        LOG_LEVEL: 'warn',
        LOG_FILE: '',
        QUEUE_PREFIX: 'quickstart',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!/sk_test_[A-Za-z0-9]{64}/.test(output) || !/Ctrl-C/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const key = /sk_test_[A-Za-z0-9]{64}/.exec(output)![0];
      const api = `http://127.0.0.1:${port}`;
      expect(output).toContain(`${api}/docs`);
      expect((await fetch(`${api}/docs`)).status).toBe(200);

      const created = await fetch(`${api}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': key },
        body: JSON.stringify({
          amount: 1000,
          currency: 'USD',
          confirm: true,
          return_url: 'https://example.com/return',
        }),
      });
      const payment = (await created.json()) as {
        payment_id: string;
        status: string;
        next_action: { redirect_to_url: string };
      };
      expect(payment.status).toBe('requires_customer_action');
      expect(payment.next_action.redirect_to_url).toContain(`127.0.0.1:${sandboxPort}`);
      const { returnLocation } = await shopperActs(payment.next_action.redirect_to_url, 'pay');
      expect(new URL(returnLocation!).searchParams.get('status')).toBe('succeeded');

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${api}/health/live`)).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${sandboxPort}/`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
