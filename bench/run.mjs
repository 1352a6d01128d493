// `npm run bench [-- <mode>]`: benchmarks on a throwaway stack of their own (see bench/README.md).
//   payments (default)  create+confirm through the engine and the floor at rising rates → bench/results/latest.json
//   profile             one ~500 req/s step with the API under the CPU profiler, SQL and Redis counted per payment
// Exit code: 0 when the measurement completed (bars met or not: they are reported), 1 when the run failed,
// 2 for an unknown mode, 130 on Ctrl-C. Everything started is stopped and the run folder deleted in every case.

import { existsSync } from 'node:fs';
import { errorLine } from '../scripts/lib/output.mjs';
import { isShuttingDown } from '../scripts/lib/processes.mjs';
import { checkNodeVersion, fail, installShutdownHandlers, shutdown } from '../scripts/lib/services.mjs';

const MODES = {
  payments: () => import('./payments.mjs'),
  profile: () => import('./profile.mjs'),
};
// Registration point for other benchmarks: a module exporting `main(args)`. The routing benchmark registers itself
// by existing (bench/routing.mjs), so `npm run bench -- routing` works as soon as that file is added.
if (existsSync(new URL('./routing.mjs', import.meta.url))) MODES.routing = () => import('./routing.mjs');

async function start() {
  const [mode = 'payments', ...args] = process.argv.slice(2);
  const load = MODES[mode];
  if (!load) {
    errorLine(`unknown benchmark mode "${mode}"; modes: ${Object.keys(MODES).join(', ')} (default: payments)`);
    process.exit(2);
  }
  checkNodeVersion();
  installShutdownHandlers({ exitCodeOnSignal: 130 });
  const { main } = await load();
  await main(args);
  await shutdown(0);
}

// After Ctrl-C the services close under the running measurement: its errors then are expected, not news.
start().catch((error) => (isShuttingDown() ? undefined : fail(error)));
