/** The shared ioredis connection's injection token. */
export const REDIS = Symbol('REDIS');
