import { SecretBox } from '@switchyard/common';
import { createDataSource } from '@switchyard/database';
import { reencryptSecrets } from './master-key-rotation';

const USAGE =
  'usage: MASTER_KEY=<new> MASTER_KEY_PREVIOUS=<old> DATABASE_URL=… ' +
  'node -r ./scripts/register-aliases.cjs dist/libs/merchants/src/cli/rotate-master-key.js [--dry-run] [--batch-size=N]';

/**
 * Master key rotation, step 2 of 3 (docs/operations.md): with every app already running on MASTER_KEY=new and
 * MASTER_KEY_PREVIOUS=old, re-encrypts every stored secret under the new key. Prints progress, never a secret; exits 1
 * while anything is left unreadable, so a script can gate step 3 (dropping MASTER_KEY_PREVIOUS) on it.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run' && !/^--batch-size=\d+$/.test(a));
  const { DATABASE_URL: url, MASTER_KEY: current, MASTER_KEY_PREVIOUS: previous } = process.env;
  if (unknown.length || !url || !current) {
    process.stderr.write(`${unknown.length ? `unknown argument ${unknown[0]}\n` : ''}${USAGE}\n`);
    process.exit(2);
  }
  if (previous && previous === current) {
    process.stderr.write('MASTER_KEY_PREVIOUS equals MASTER_KEY: nothing to rotate to\n');
    process.exit(2);
  }
  if (!previous) process.stdout.write('MASTER_KEY_PREVIOUS is not set: only secrets already readable are checked\n');
  const batchSize = Number(
    /^--batch-size=(\d+)$/.exec(args.find((a) => a.startsWith('--batch-size=')) ?? '')?.[1] ?? 200,
  );
  const box = new SecretBox(current, previous ? [previous] : []);
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    const summaries = await reencryptSecrets(dataSource, box, {
      batchSize: Math.max(1, Math.min(batchSize, 5000)),
      dryRun: args.includes('--dry-run'),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const unreadable = summaries.flatMap((s) => s.unreadable);
    const raced = summaries.reduce((n, s) => n + s.raced, 0);
    for (const s of summaries) {
      process.stdout.write(
        `done ${s.table}: ${s.rows} rows, ${s.reencrypted} re-encrypted, ${s.current} already current, ` +
          `${s.raced} changed meanwhile, ${s.unreadable.length} unreadable\n`,
      );
    }
    if (raced) process.stdout.write('some secrets changed while running: run again to confirm nothing is left\n');
    if (unreadable.length) {
      process.stderr.write(
        `unreadable with MASTER_KEY / MASTER_KEY_PREVIOUS (sealed with another key): ${unreadable.join(', ')}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`master key rotation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
