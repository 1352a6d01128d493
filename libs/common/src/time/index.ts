export * from './clock';
export * from './request-timing';
