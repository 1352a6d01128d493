/**
 * Fault injection for reliability runs (`npm run verify`): off until configured through `/__sandbox/chaos`.
 *
 * API calls (per processor, each a probability per request):
 * - `reset`: the TCP connection is destroyed, no answer;
 * - `malformed`: 200 with a truncated JSON body;
 * - `error5xx`: 500 with the processor's own error body;
 * - `slow`: the answer is held `slowMs` (longer than the client's timeout), then a 504 (before) or the real answer (after);
 * - `tokenExpiry`: the bearer token the request presents is revoked before it is handled (expired mid-flight → 401).
 * The first four fire either `before` the request is handled (nothing happened at the processor) or `after` it was handled
 * (it happened, but the answer is lost or spoiled): `afterShare` of them fire after.
 *
 * Webhooks the sandbox sends (Plural Standard Webhooks, Tap `hashstring` posts): `reorder` holds a delivery a random
 * 0…`maxDelayMs` so later events overtake it; `duplicate` sends the same bytes (same id, timestamp and signature) once more,
 * a random 0…`maxDelayMs` later. This wraps the global `fetch` of the sandbox process while a webhook rate is non-zero.
 *
 * Every injected fault is counted (`GET /__sandbox/chaos`) and logged (`GET /__sandbox/chaos/log`); a `seed` makes a run's
 * draws repeatable.
 */
import { express, type NextFunction, type Request, type Response, type Router } from './express-typed';
import { isBodyParserError } from './sandbox.http';
import type { ChaosTarget } from './chaos.targets';

export const CHAOS_FAULTS = ['reset', 'malformed', 'error5xx', 'slow', 'tokenExpiry'] as const;
export type ChaosFault = (typeof CHAOS_FAULTS)[number];
export type ChaosRates = Record<ChaosFault, number>;

export interface ChaosConfig {
  /** Per processor name: the probability of each fault per API request (their sum at most 1). */
  processors: Record<string, ChaosRates>;
  /** Share of reset/malformed/error5xx/slow faults that fire after the processor handled the request. */
  afterShare: number;
  /** How long a slow answer is held, in ms. */
  slowMs: number;
  webhooks: { reorder: number; duplicate: number; maxDelayMs: number };
  seed: number | null;
}

export interface ChaosLogEntry {
  at: string;
  processor: string;
  method: string;
  path: string;
  fault: ChaosFault | 'webhook_reorder' | 'webhook_duplicate';
  phase: 'before' | 'after' | null;
}

export interface Chaos {
  /** Express middleware: mount before the processors' routers. */
  readonly middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** `/__sandbox/chaos`: GET (config + stats), POST (change config), POST /reset, GET /log. */
  readonly controlRouter: Router;
  configure(patch: unknown): ChaosConfig;
  reset(): void;
  config(): ChaosConfig;
  stats(): ChaosStats;
  /** Clears pending timers and restores the global fetch. */
  dispose(): void;
}

export interface ChaosStats {
  requests: Record<string, number>;
  injected: Record<string, Record<string, number>>;
  webhooks: { seen: number; reordered: number; duplicated: number };
}

const LOG_LIMIT = 20_000;
const WEBHOOK_TIMEOUT_MS = 5000;

const zeroRates = (): ChaosRates => ({ reset: 0, malformed: 0, error5xx: 0, slow: 0, tokenExpiry: 0 });

function defaults(targets: readonly ChaosTarget[]): ChaosConfig {
  return {
    processors: Object.fromEntries(targets.map((t) => [t.name, zeroRates()])),
    afterShare: 0.5,
    slowMs: 35_000,
    webhooks: { reorder: 0, duplicate: 0, maxDelayMs: 2000 },
    seed: null,
  };
}

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence of draws. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates a (partial) configuration against the current one; throws a message naming the bad field. */
export function mergeChaosConfig(current: ChaosConfig, patch: unknown): ChaosConfig {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('body must be an object');
  const p = patch as Record<string, unknown>;
  const next: ChaosConfig = JSON.parse(JSON.stringify(current)) as ChaosConfig;
  const probability = (value: unknown, field: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(`${field} must be a number from 0 to 1`);
    }
    return value;
  };
  const integer = (value: unknown, field: string, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      throw new Error(`${field} must be an integer from 0 to ${max}`);
    }
    return value;
  };
  for (const key of Object.keys(p)) {
    if (!['processors', 'afterShare', 'slowMs', 'webhooks', 'seed'].includes(key))
      throw new Error(`unknown field ${key}`);
  }
  if (p.processors !== undefined) {
    if (typeof p.processors !== 'object' || p.processors === null) throw new Error('processors must be an object');
    for (const [name, rates] of Object.entries(p.processors as Record<string, unknown>)) {
      if (!next.processors[name]) throw new Error(`unknown processor ${name}`);
      if (typeof rates !== 'object' || rates === null) throw new Error(`processors.${name} must be an object`);
      for (const [fault, value] of Object.entries(rates as Record<string, unknown>)) {
        if (!(CHAOS_FAULTS as readonly string[]).includes(fault)) throw new Error(`unknown fault ${name}.${fault}`);
        next.processors[name][fault as ChaosFault] = probability(value, `processors.${name}.${fault}`);
      }
      const sum = CHAOS_FAULTS.reduce((total, fault) => total + next.processors[name][fault], 0);
      if (sum > 1 + 1e-9) throw new Error(`processors.${name}: the probabilities add up to more than 1`);
    }
  }
  if (p.afterShare !== undefined) next.afterShare = probability(p.afterShare, 'afterShare');
  if (p.slowMs !== undefined) next.slowMs = integer(p.slowMs, 'slowMs', 600_000);
  if (p.webhooks !== undefined) {
    if (typeof p.webhooks !== 'object' || p.webhooks === null) throw new Error('webhooks must be an object');
    const w = p.webhooks as Record<string, unknown>;
    for (const key of Object.keys(w)) {
      if (!['reorder', 'duplicate', 'maxDelayMs'].includes(key)) throw new Error(`unknown field webhooks.${key}`);
    }
    if (w.reorder !== undefined) next.webhooks.reorder = probability(w.reorder, 'webhooks.reorder');
    if (w.duplicate !== undefined) next.webhooks.duplicate = probability(w.duplicate, 'webhooks.duplicate');
    if (w.maxDelayMs !== undefined) next.webhooks.maxDelayMs = integer(w.maxDelayMs, 'webhooks.maxDelayMs', 60_000);
  }
  if (p.seed !== undefined) next.seed = p.seed === null ? null : integer(p.seed, 'seed', 2 ** 32 - 1);
  return next;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function createChaos(targets: readonly ChaosTarget[]): Chaos {
  let current = defaults(targets);
  let random = Math.random;
  const timers = new Set<NodeJS.Timeout>();
  const log: ChaosLogEntry[] = [];
  let counters = freshStats();
  let originalFetch: typeof fetch | null = null;

  function freshStats(): ChaosStats {
    return {
      requests: Object.fromEntries(targets.map((t) => [t.name, 0])),
      injected: Object.fromEntries(targets.map((t) => [t.name, {}])),
      webhooks: { seen: 0, reordered: 0, duplicated: 0 },
    };
  }

  const record = (entry: Omit<ChaosLogEntry, 'at'>): void => {
    const key = entry.phase ? `${entry.fault}_${entry.phase}` : entry.fault;
    const bucket = (counters.injected[entry.processor] ??= {});
    bucket[key] = (bucket[key] ?? 0) + 1;
    log.push({ at: new Date().toISOString(), ...entry });
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  };

  const later = (ms: number, then: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      then();
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };
  const cancel = (timer: NodeJS.Timeout): void => {
    clearTimeout(timer);
    timers.delete(timer);
  };

  const targetOf = (path: string): ChaosTarget | undefined =>
    targets.find((t) => t.apiPrefixes.some((prefix) => path.startsWith(prefix)));

  /** Draws one fault (or none) from the processor's rates. */
  const draw = (rates: ChaosRates): ChaosFault | null => {
    let roll = random();
    for (const fault of CHAOS_FAULTS) {
      if (roll < rates[fault]) return fault;
      roll -= rates[fault];
    }
    return null;
  };

  function middleware(req: Request, res: Response, next: NextFunction): void {
    const path = req.path;
    const target = targetOf(path);
    if (!target) return next();
    counters.requests[target.name] = (counters.requests[target.name] ?? 0) + 1;
    const fault = draw(current.processors[target.name] ?? zeroRates());
    if (!fault) return next();
    const base = { processor: target.name, method: req.method, path };

    if (fault === 'tokenExpiry') {
      const presented = BEARER.exec(req.get('authorization') ?? '')?.[1];
      if (!presented || !target.revokeToken || target.tokenPaths.some((re) => re.test(path))) return next();
      if (target.revokeToken(presented)) record({ ...base, fault, phase: null });
      return next();
    }

    const phase = random() < current.afterShare ? 'after' : 'before';
    record({ ...base, fault, phase });
    if (phase === 'before') {
      switch (fault) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'malformed':
          res.statusCode = 200;
          res.setHeader('content-type', 'application/json');
          res.end('{"data":{"tok');
          return;
        case 'error5xx':
          sendRaw(res, 500, target.errorBody(500));
          return;
        case 'slow': {
          const timer = later(current.slowMs, () => {
            if (!res.writableEnded && !res.destroyed) sendRaw(res, 504, target.errorBody(504));
          });
          res.once('close', () => cancel(timer));
          return;
        }
      }
    }
    // After: let the processor handle the request, then spoil or lose its answer.
    const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => Response;
    (res as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]): Response => {
      (res as { end: unknown }).end = end;
      if (res.headersSent) {
        req.socket.destroy();
        return res;
      }
      switch (fault) {
        case 'reset':
          req.socket.destroy();
          return res;
        case 'malformed': {
          const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
          res.statusCode = 200;
          res.removeHeader('content-length');
          res.setHeader('content-type', 'application/json');
          return end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        }
        case 'error5xx':
          res.removeHeader('content-length');
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          return end(target.errorBody(500));
        case 'slow': {
          const timer = later(current.slowMs, () => {
            if (!res.destroyed) end(chunk, ...rest);
          });
          res.once('close', () => cancel(timer));
          return res;
        }
      }
    };
    next();
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Webhooks: wrap the global fetch (the sandbox's webhook senders use it) while a webhook rate is non-zero.

  const isWebhookDelivery = (init: RequestInit | undefined): boolean => {
    if (!init || (init.method ?? 'GET').toUpperCase() !== 'POST' || !init.headers) return false;
    const names = Object.keys(init.headers as Record<string, string>).map((h) => h.toLowerCase());
    return names.includes('hashstring') || names.includes('webhook-signature');
  };

  const deliveryPath = (input: Parameters<typeof fetch>[0]): string => {
    try {
      return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
    } catch {
      return '';
    }
  };

  function installFetch(): void {
    const wanted = current.webhooks.reorder > 0 || current.webhooks.duplicate > 0;
    if (wanted && !originalFetch) {
      const original = globalThis.fetch;
      originalFetch = original;
      const wait = (ms: number): Promise<void> => new Promise((resolve) => later(ms, resolve));
      globalThis.fetch = async (
        input: Parameters<typeof fetch>[0],
        init?: RequestInit,
      ): Promise<globalThis.Response> => {
        if (!isWebhookDelivery(init)) return original(input, init);
        counters.webhooks.seen += 1;
        const processor = (init?.headers as Record<string, string>).hashstring !== undefined ? 'tap' : 'plural';
        const base = { processor, method: 'POST', path: deliveryPath(input), phase: null };
        let send = init;
        if (random() < current.webhooks.reorder) {
          counters.webhooks.reordered += 1;
          record({ ...base, fault: 'webhook_reorder' });
          await wait(Math.floor(random() * current.webhooks.maxDelayMs));
          send = { ...init, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) };
        }
        const answer = await original(input, send);
        if (random() < current.webhooks.duplicate) {
          counters.webhooks.duplicated += 1;
          record({ ...base, fault: 'webhook_duplicate' });
          later(Math.floor(random() * current.webhooks.maxDelayMs), () => {
            original(input, { ...init, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) })
              .then((r) => r.arrayBuffer())
              .catch(() => undefined);
          });
        }
        return answer;
      };
    } else if (!wanted) {
      restoreFetch();
    }
  }

  function restoreFetch(): void {
    if (originalFetch) globalThis.fetch = originalFetch;
    originalFetch = null;
  }

  // -------------------------------------------------------------------------------------------------------------------

  const chaos: Chaos = {
    middleware,
    controlRouter: express.Router(),
    configure(patch: unknown): ChaosConfig {
      current = mergeChaosConfig(current, patch);
      random = current.seed === null ? Math.random : mulberry32(current.seed);
      installFetch();
      return chaos.config();
    },
    reset(): void {
      current = defaults(targets);
      random = Math.random;
      counters = freshStats();
      log.length = 0;
      restoreFetch();
    },
    config: () => JSON.parse(JSON.stringify(current)) as ChaosConfig,
    stats: () => JSON.parse(JSON.stringify(counters)) as ChaosStats,
    dispose(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      restoreFetch();
    },
  };

  const router = chaos.controlRouter;
  router.use(express.json({ limit: '100kb' }));
  router.get('/', (_req: Request, res: Response) => {
    res.json({ config: chaos.config(), stats: chaos.stats() });
  });
  router.post('/', (req: Request, res: Response) => {
    try {
      res.json({ config: chaos.configure(req.body), stats: chaos.stats() });
    } catch (error: unknown) {
      res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  router.post('/reset', (_req: Request, res: Response) => {
    chaos.reset();
    res.json({ config: chaos.config(), stats: chaos.stats() });
  });
  router.get('/log', (req: Request, res: Response) => {
    const limit = Number(typeof req.query.limit === 'string' ? req.query.limit : LOG_LIMIT);
    res.json(log.slice(-Math.max(0, Math.min(LOG_LIMIT, Number.isFinite(limit) ? limit : LOG_LIMIT))));
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: 'Malformed JSON' });
      return;
    }
    res.status(500).json({ error: 'Internal error' });
  });
  return chaos;
}

function sendRaw(res: Response, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(body);
}
