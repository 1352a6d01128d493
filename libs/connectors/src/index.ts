export * from './core/connector.types';
export * from './core/unified-codes';
export * from './core/connector.registry';
export * from './core/connector-http.client';
export * from './core/access-token.cache';
export * from './connectors.module';
