export * from './incoming-webhooks.service';
export * from './outgoing-webhooks.service';
export * from './webhooks.module';
