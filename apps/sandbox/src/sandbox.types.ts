import type { EventEmitter } from 'node:events';
import type { Request, Router } from './express-typed';

export interface SandboxOptions {
  /** Base URL used to build hosted-page links; default derived from the listening address (or the request's Host header). */
  publicUrl?: string;
  /** Access token lifetime in seconds (default 600, the `expire_time` the generic gateway documents). */
  tokenTtlSeconds?: number;
  /** pending-then-success script: how many status checks still answer PENDING after the shopper paid (default 2). */
  pendingPolls?: number;
  /** How long the "timeout" scripts hang before answering 504, in ms (default 35000: longer than a 30 s client timeout). */
  hangMs?: number;
  /** A payment the shopper never completes becomes EXPIRED after this many seconds (default 900). */
  paymentTtlSeconds?: number;
  /** One-line request log (method, path, status) on stdout; default: env SANDBOX_LOG=1. Never logs bodies or headers. */
  log?: boolean;
}

export interface ResolvedSandboxOptions {
  publicUrl: string | undefined;
  tokenTtlSeconds: number;
  pendingPolls: number;
  hangMs: number;
  paymentTtlSeconds: number;
  log: boolean;
}

/** What every processor module gets from the app: options, the clock, hosted-page links and cancellable hangs. */
export interface SandboxContext {
  readonly options: ResolvedSandboxOptions;
  now(): number;
  /** `<publicUrl><path>`; without a configured public URL, the scheme and Host of the request being answered. */
  publicLink(req: Request, path: string): string;
  /** Runs `then` after `ms` unless the sandbox is disposed first or `cancelOn` closes (client gone). */
  hang(ms: number, cancelOn: EventEmitter, then: () => void): void;
}

export interface MagicValue {
  readonly value: string;
  readonly effect: string;
}

/** One imitated processor, as the app and the control surface see it. */
export interface ProcessorModule {
  /** Path segment: the processor is served under `/<name>` and controlled under `/__sandbox/<name>`. */
  readonly name: string;
  readonly title: string;
  /** Full paths of its API roots (e.g. sandbox and live), for the index page. */
  readonly basePaths: readonly string[];
  /** Path pattern of its hosted payment page, if it has one (e.g. `/generic/checkout/{token}`). */
  readonly hostedPage?: string;
  /** Its routes under `/__sandbox/<name>`, one line each (`GET /payments?custom=`), for the index page. */
  readonly controlRoutes: readonly string[];
  readonly magicValues: readonly MagicValue[];
  /** Everything under `/<name>`. */
  readonly router: Router;
  /** Everything under `/__sandbox/<name>`. */
  readonly controlRouter: Router;
  /** Counters since start, shown under `stats[<name>]`. */
  stats(): object;
}
