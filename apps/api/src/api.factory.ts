import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { requestLogger } from '@switchyard/common';
import { loadAppConfig } from '@switchyard/config';
import { warmPool } from '@switchyard/database';
import { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { latencyMiddleware } from './common/latency.middleware';
import { createValidationPipe } from './common/validation';

/** Builds the API exactly as production runs it; tests call this and listen on a random port. */
export async function createApiApp(): Promise<INestApplication> {
  const config = loadAppConfig();
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, {
    bufferLogs: true,
    rawBody: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(latencyMiddleware);
  app.use(requestLogger());
  app.set('trust proxy', false);
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.BODY_LIMIT, extended: false });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchyard')
      .setDescription('Payment orchestration: one Hyperswitch-compatible payments API, many processors.')
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'api-key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await warmPool(app.get(DataSource));
  return app;
}
