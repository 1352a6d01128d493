export * from './secrets';
export * from './crypto.module';
