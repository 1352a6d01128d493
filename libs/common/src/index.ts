export * from './errors';
export * from './money';
export * from './crypto';
export * from './logging';
export * from './time';
export * from './redis';
export * from './cards';
