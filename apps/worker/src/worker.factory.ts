import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { warmPool } from '@switchyard/database';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

/** The worker is an application context (no HTTP): BullMQ processors only. Shutdown hooks let jobs in flight finish. */
export async function createWorkerApp(): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await warmPool(app.get(DataSource));
  return app;
}
