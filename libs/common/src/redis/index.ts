export * from './redis.module';
export * from './config-cache';
