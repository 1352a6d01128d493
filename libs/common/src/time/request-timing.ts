/**
 * Time one API request spent waiting on processors, so the API can report its own overhead (`x-switchyard-latency`).
 * Made per request by the API's latency middleware and handed down explicitly (PaymentCaller.timing → the attempt
 * executor, which times each connector call). Not an AsyncLocalStorage: its promise hooks made every promise of every
 * request pay, about a twentieth of the API's CPU under load (bench/README.md).
 */
export class ConnectorTiming {
  connectorMs = 0;

  /** Runs one connector call (HTTP round trips and the adapter's own mapping) and adds its wall time. */
  async time<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.connectorMs += performance.now() - started;
    }
  }
}

/** Times `call` into `timing` when there is one (API requests); runs it as is otherwise (worker, tests). */
export function timed<T>(timing: ConnectorTiming | undefined, call: () => Promise<T>): Promise<T> {
  return timing ? timing.time(call) : call();
}
