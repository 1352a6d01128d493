export * from './auth.types';
export * from './merchants.service';
export * from './api-keys.service';
export * from './connector-accounts.service';
export * from './merchants.module';
