import { startSandbox } from './sandbox.app';
import { sandboxOptionsFromEnv } from './sandbox.env';

async function main(): Promise<void> {
  const sandbox = await startSandbox(sandboxOptionsFromEnv(process.env));
  console.log(`sandbox listening on ${sandbox.url}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('sandbox: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
