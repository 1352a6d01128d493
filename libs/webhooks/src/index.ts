export * from './incoming-webhooks.service';
export * from './webhooks.module';
