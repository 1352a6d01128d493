import 'reflect-metadata';
import { loadAppConfig } from '@switchyard/config';
import { createApiApp } from './api.factory';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createApiApp();
  await app.listen(config.PORT, '0.0.0.0');
  process.stdout.write(
    `switchyard api listening on ${config.PUBLIC_BASE_URL} (docs at ${config.PUBLIC_BASE_URL}/docs)\n`,
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
