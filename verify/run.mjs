// `npm run verify`: the reliability and security proof (issue 7). Provisions its own throwaway stack (embedded Postgres,
// Redis, build, migrations, sandbox + API + worker as processes), runs every check, prints a summary table, writes
// verify/results/latest.json (and the logs of the run under verify/results/logs/), and exits non-zero if any figure
// misses its mark. See verify/README.md for what each figure means and how it is measured.
//
//   npm run verify                          # everything (about 12 minutes here)
//   npm run verify -- --only fuzz,webhooks  # some checks (the secrets scan always runs last)
//   npm run verify -- --scale 0.2           # smaller counts, for a quick try (marks are then not the issue's)

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bold, cyan, green, info, phase, red, UserError } from '../scripts/lib/output.mjs';
import { fail, installShutdownHandlers, onShutdown, shutdown } from '../scripts/lib/processes.mjs';
import { checkNodeVersion, DATA_DIR, ROOT } from '../scripts/lib/services.mjs';
import { doubleChargeCheck } from './checks/double-charge.mjs';
import { faultRun } from './checks/faults.mjs';
import { fuzzCheck } from './checks/fuzz.mjs';
import { isolationCheck } from './checks/isolation.mjs';
import { loadCheck } from './checks/load.mjs';
import { secretsCheck } from './checks/secrets.mjs';
import { webhookSecurityCheck } from './checks/webhooks.mjs';
import { sandboxJson } from './lib/http.mjs';
import { startMerchantEndpoint } from './lib/merchant-endpoint.mjs';
import { secretBook } from './lib/setup.mjs';
import { RUN_SETTINGS, startStack } from './lib/stack.mjs';

const RESULTS_DIR = path.join(ROOT, 'verify', 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs');
const RUN_DIR = path.join(DATA_DIR, `verify-${process.pid}`);
/** create+confirm payments per second the load check holds (this 2-core machine; VERIFY_LOAD_RATE overrides). */
const LOAD_RATE = 40;

function parseArgs(argv) {
  const args = { only: null, scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') args.only = new Set(argv[++i].split(','));
    else if (argv[i] === '--scale') args.scale = Number(argv[++i]);
    else throw new UserError(`unknown argument ${argv[i]} (use --only <ids> or --scale <factor>)`);
  }
  if (!(args.scale > 0 && args.scale <= 1)) throw new UserError('--scale must be a number in (0, 1]');
  return args;
}

/** The checks in the order they run (isolation and webhooks first, on a quiet stack; load last; secrets after all). */
function checks(scale) {
  const n = (count) => Math.max(1, Math.round(count * scale));
  return [
    { id: 'isolation', title: '6. Tenant isolation', run: (ctx) => isolationCheck(ctx.stack) },
    { id: 'webhooks', title: '5. Webhook security', run: (ctx) => webhookSecurityCheck(ctx.stack) },
    {
      id: 'double-charge',
      title: '1. Double-charge safety',
      run: (ctx) => doubleChargeCheck(ctx.stack, { groups: n(20), perGroup: 10 }),
    },
    { id: 'fuzz', title: '4. Bad input (fuzz)', run: (ctx) => fuzzCheck(ctx.stack, { requests: n(10_000) }) },
    {
      id: 'faults',
      title: '2. Faults',
      run: (ctx) =>
        faultRun(ctx.stack, ctx.endpoint, {
          label: 'faults',
          payments: n(1000),
          mix: { generic: 0.4, plural: 0.3, tap: 0.3 },
          concurrency: 16,
          horizonMs: 180_000,
          minWaitMs: (Number(RUN_SETTINGS.SANDBOX_PAYMENT_TTL_SECONDS) + 10) * 1000,
        }),
    },
    {
      id: 'crashes',
      title: '3. Crashes (SIGKILL api/worker)',
      run: (ctx) =>
        faultRun(ctx.stack, ctx.endpoint, {
          label: 'crashes',
          payments: n(400),
          mix: { generic: 0.4, plural: 0.3, tap: 0.3 },
          concurrency: 12,
          kills: 20,
          // A lost inquiry chain is found by the sweeper once idle for the widest poll interval + 120 s; a lost outbox
          // publish after 2 minutes: the horizon covers both.
          horizonMs: 300_000,
          minWaitMs: (Number(RUN_SETTINGS.SANDBOX_PAYMENT_TTL_SECONDS) + 10) * 1000,
        }),
    },
    {
      id: 'load',
      title: '8. Load',
      run: (ctx) =>
        loadCheck(ctx.stack, {
          durationSeconds: Math.max(60, Math.round(120 * scale)),
          rate: Number(process.env.VERIFY_LOAD_RATE ?? LOAD_RATE),
        }),
    },
  ];
}

async function main() {
  checkNodeVersion();
  installShutdownHandlers({ exitCodeOnSignal: 130 });
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
  onShutdown('verify folder', async () => rmSync(RUN_DIR, { recursive: true, force: true }));

  const stack = await startStack({ runDir: RUN_DIR, logDir: LOG_DIR });
  const endpoint = await startMerchantEndpoint();
  onShutdown('merchant endpoint', () => endpoint.close());
  const ctx = { stack, endpoint };

  const results = [];
  for (const check of checks(args.scale)) {
    if (args.only && !args.only.has(check.id)) continue;
    const result = await phase(
      check.title,
      async () => {
        try {
          return await check.run(ctx);
        } catch (error) {
          return {
            figures: [{ name: 'check ran to the end', value: 'error', mark: 'no error', pass: false }],
            details: { error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
          };
        }
      },
      (r) => `${check.title}: ${r.figures.every((f) => f.pass) ? green('pass') : red('MISS')}`,
    );
    results.push({ id: check.id, title: check.title, ...result });
    printFigures(result.figures);
  }

  // Access tokens the processors issued (the sandbox lists them), then the apps stop so every log line is on disk, then
  // every log file is scanned.
  const tokens = await phase(
    'collecting access tokens',
    () => collectTokens(stack),
    (t) => `${t.length} access tokens`,
  );
  await phase('stopping the apps', async () => {
    await Promise.all([stack.worker.stop(), stack.api.stop()]);
    await stack.sandbox.stop();
  });
  const secrets = await phase('7. Secrets in logs', () =>
    secretsCheck(stack, LOG_DIR, { extra: tokens, scratchDir: RUN_DIR }),
  );
  results.push({ id: 'secrets', title: '7. Secrets in logs', ...secrets });
  printFigures(secrets.figures);

  const pass = results.every((r) => r.figures.every((f) => f.pass));
  const report = {
    pass,
    started: new Date(started).toISOString(),
    finished: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    scale: args.scale,
    only: args.only ? [...args.only] : null,
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    settings: RUN_SETTINGS,
    unexpectedExits: Object.fromEntries(
      ['api', 'worker', 'sandbox'].map((name) => [name, stack[name].exits.filter((e) => !e.expected)]),
    ),
    checks: results,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${scrub(JSON.stringify(report, null, 2), stack, tokens)}\n`);
  printSummary(results, report);
  await shutdown(pass ? 0 : 1);
}

/** The results name no secret: any value of the run's secrets (e.g. a client secret inside a fuzzed body) is masked. */
function scrub(text, stack, tokens) {
  const values = [
    ...Object.values(stack.secrets),
    ...secretBook.map((s) => s.value),
    ...tokens.map((t) => t.value),
  ].filter((v) => typeof v === 'string' && v.length >= 8);
  let out = text;
  for (const value of values.sort((a, b) => b.length - a.length)) {
    const escaped = JSON.stringify(value).slice(1, -1);
    out = out.split(escaped).join('[secret]');
  }
  return out;
}

async function collectTokens(stack) {
  const tokens = [];
  for (const processor of ['generic', 'plural']) {
    try {
      for (const t of await sandboxJson(stack.urls.sandbox, `/__sandbox/${processor}/tokens`)) {
        tokens.push({ kind: `${processor} access token`, value: t.access_token });
      }
    } catch {
      // the sandbox is down: its tokens died with it, and the figure shows fewer secrets searched
    }
  }
  return tokens;
}

function printFigures(figures) {
  for (const f of figures)
    info(`    ${f.pass ? green('✓') : red('✗')} ${f.name}: ${bold(String(f.value))} (mark ${f.mark})`);
}

function printSummary(results, report) {
  const rows = results.flatMap((r) =>
    r.figures.map((f) => [r.title, f.name, String(f.value), f.mark, f.pass ? 'ok' : 'MISS']),
  );
  const header = ['check', 'figure', 'value', 'mark', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ');
  info('');
  info(bold(cyan('Reliability and security proof')));
  info(line(header));
  info(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const row of rows) info(row[4] === 'ok' ? line(row) : red(line(row)));
  info('');
  info(
    `${report.pass ? green(bold('PASS')) : red(bold('FAIL'))}: ${rows.filter((r) => r[4] === 'ok').length}/${rows.length} ` +
      `figures on their mark, in ${Math.floor(report.durationSeconds / 60)} min ${report.durationSeconds % 60} s; ` +
      `details in ${path.relative(ROOT, path.join(RESULTS_DIR, 'latest.json'))}, logs in ${path.relative(ROOT, LOG_DIR)}/`,
  );
}

main().catch((error) => fail(error));
