import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createChaos } from './chaos';
import { chaosTargets } from './chaos.targets';
import { ControlRegistry, createControlRouter } from './control.routes';
import { express, type Express, type NextFunction, type Request, type Response } from './express-typed';
import { createGenericProcessor } from './generic/generic.module';
import type { GenericStore } from './generic/generic.store';
import { createPluralProcessor } from './plural/plural.module';
import type { PluralStore } from './plural/plural.store';
import { createTapProcessor } from './tap/tap.module';
import type { TapStore } from './tap/tap.store';
import { indexPage } from './index.page';
import type { ResolvedSandboxOptions, SandboxContext, SandboxOptions } from './sandbox.types';

export type { SandboxOptions } from './sandbox.types';

/** What a test can inspect (and poke) besides the HTTP surface. */
export interface SandboxState {
  /** The generic gateway's in-memory store: payments, refunds, tokens and `stats` counters. */
  readonly generic: GenericStore;
  /** Plural's in-memory store: merchants (dashboard settings), tokens, orders, refunds and `stats` counters. */
  readonly plural: PluralStore;
  /** Tap's in-memory store: charges, authorizations, refunds, webhook deliveries, `stats` and `settings`. */
  readonly tap: TapStore;
  /** The same object `GET /__sandbox/stats` answers. */
  stats(): Record<string, object>;
  /** Cancels every pending hang timer (scripted timeouts). `close()` of startSandbox calls it. */
  dispose(): void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  state: SandboxState;
  close(): Promise<void>;
}

function resolveOptions(opts: SandboxOptions): ResolvedSandboxOptions {
  const check = (name: string, value: number, min: number): number => {
    if (!Number.isFinite(value) || value < min) throw new Error(`sandbox option ${name} must be a number >= ${min}`);
    return value;
  };
  return {
    publicUrl: opts.publicUrl?.replace(/\/+$/, ''),
    tokenTtlSeconds: check('tokenTtlSeconds', opts.tokenTtlSeconds ?? 600, 0),
    pendingPolls: Math.floor(check('pendingPolls', opts.pendingPolls ?? 2, 0)),
    hangMs: check('hangMs', opts.hangMs ?? 35_000, 0),
    paymentTtlSeconds: check('paymentTtlSeconds', opts.paymentTtlSeconds ?? 900, 0),
    log: opts.log ?? process.env.SANDBOX_LOG === '1',
  };
}

function createContext(options: ResolvedSandboxOptions, timers: Set<NodeJS.Timeout>): SandboxContext {
  return {
    options,
    now: () => Date.now(),
    publicLink: (req, path) => `${options.publicUrl ?? `http://${req.get('host') ?? 'localhost'}`}${path}`,
    hang: (ms, cancelOn, then) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        then();
      }, ms);
      timer.unref();
      timers.add(timer);
      cancelOn.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    },
  };
}

/** Method, path (no query string) and status only: bodies and headers carry credentials and access tokens. */
function requestLog(req: Request, res: Response, next: NextFunction): void {
  const started = Date.now();
  res.on('finish', () => {
    const path = req.originalUrl.split('?')[0];
    console.log(`sandbox ${req.method} ${path} ${res.statusCode} ${Date.now() - started}ms`);
  });
  next();
}

function buildSandbox(opts: SandboxOptions): { app: Express; state: SandboxState; context: SandboxContext } {
  const timers = new Set<NodeJS.Timeout>();
  const context = createContext(resolveOptions(opts), timers);
  // Adding a processor: create it here, register it, and expose its store on SandboxState.
  const generic = createGenericProcessor(context);
  const registry = new ControlRegistry();
  registry.add(generic.module);
  const plural = createPluralProcessor(context);
  registry.add(plural.module);
  const tap = createTapProcessor(context);
  registry.add(tap.module);
  // Fault injection (off until configured through /__sandbox/chaos): see chaos.ts.
  const chaos = createChaos(chaosTargets({ generic: generic.store, plural: plural.store }));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (context.options.log) app.use(requestLog);
  app.get('/', (_req: Request, res: Response) => {
    res.type('text/html; charset=utf-8').send(indexPage(registry.list()));
  });
  app.use(chaos.middleware);
  app.use('/__sandbox/chaos', chaos.controlRouter);
  app.use('/__sandbox', createControlRouter(registry));
  for (const module of registry.list()) app.use(`/${module.name}`, module.router);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'Not found' });
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    console.error('sandbox: unexpected error', err instanceof Error ? err.stack : err);
    res.status(500).json({ error: 'Internal error' });
  });

  const state: SandboxState = {
    generic: generic.store,
    plural: plural.store,
    tap: tap.store,
    stats: () => registry.stats(),
    dispose: () => {
      chaos.dispose();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
  return { app, state, context };
}

export function createSandboxApp(opts: SandboxOptions = {}): { app: Express; state: SandboxState } {
  const { app, state } = buildSandbox(opts);
  return { app, state };
}

/** A URL a client can reach for the address the server listens on (wildcards become loopback). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSandbox(
  opts: SandboxOptions & { port?: number; host?: string } = {},
): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...options } = opts;
  const { app, state, context } = buildSandbox(options);
  const server = createServer(app);
  // Tracked so close() can end keep-alive and hanging (scripted timeout) connections instead of waiting for them.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${reachableHost(host)}:${actualPort}`;
  context.options.publicUrl ??= url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      state.dispose();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { url, port: actualPort, state, close };
}
