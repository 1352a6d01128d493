import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request accounting of time spent waiting on connectors, so the API can report its own overhead. */
interface RequestTiming {
  connectorMs: number;
}

const storage = new AsyncLocalStorage<RequestTiming>();

export function runWithRequestTiming<T>(fn: () => T): T {
  return storage.run({ connectorMs: 0 }, fn);
}

/** Adds a connector call's duration to the current request (no-op outside a request, e.g. in the worker). */
export function recordConnectorTime(ms: number): void {
  const timing = storage.getStore();
  if (timing) timing.connectorMs += ms;
}

export function connectorTimeSoFar(): number {
  return storage.getStore()?.connectorMs ?? 0;
}
