import 'reflect-metadata';
import { loadAppConfig } from '@switchyard/config';
import { createWorkerApp } from './worker.factory';

async function bootstrap(): Promise<void> {
  loadAppConfig();
  await createWorkerApp();
  process.stdout.write(
    'switchyard worker started (queues: payment-sync, refund-sync, incoming-webhooks, outgoing-webhooks, reconciliation)\n',
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
