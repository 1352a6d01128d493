export * from './pan';
