// `npm run bench -- routing`: the routing decision's own cost (decideRoute, pure) for a 50-rule advanced config, a
// volume split and success-rate routing; decisions/s and per-decision latency → bench/results/routing.json.
// No stack is needed: the decision is pure; its I/O (two primary-key reads, one or two Redis pipelines) is the
// payment's. `BENCH_ROUTING_SECONDS` (default 3) per case. See docs/routing.md.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bold, green, info, red } from '../scripts/lib/output.mjs';
import { build, ROOT } from '../scripts/lib/services.mjs';

const BAR_US = 1000;

export async function main() {
  await build();
  const require = createRequire(import.meta.url);
  require(path.join(ROOT, 'scripts', 'register-aliases.cjs'));
  const { runRoutingBench } = require(path.join(ROOT, 'dist', 'libs', 'routing', 'src', 'bench', 'decision.bench.js'));
  const seconds = Number(process.env.BENCH_ROUTING_SECONDS ?? 3);
  info(bold(`routing decisions (pure decideRoute, ${seconds} s per case, one core)`));
  const result = runRoutingBench(seconds);
  for (const c of result.cases) {
    const ok = c.p99_us < BAR_US ? green('well under 1 ms') : red('over 1 ms');
    info(
      `  ${c.name.padEnd(50)} ${String(c.decisions_per_second).padStart(9)} decisions/s  ` +
        `mean ${c.mean_us} µs  p50 ${c.p50_us} µs  p99 ${c.p99_us} µs  max ${c.max_us} µs  ${ok}`,
    );
  }
  info(`  validating a 50-rule config on save: ${result.parse_50_rules_us} µs`);
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'routing.json'),
    `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
  info(`results: ${path.relative(ROOT, path.join(dir, 'routing.json'))}`);
}
