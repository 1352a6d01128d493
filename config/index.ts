export * from './app.config';
export * from './env.validation';
export * from './config.module';
