import { randomBytes } from 'node:crypto';
import { loadAppConfig } from './app.config';
import { ConfigValidationError } from './env.validation';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  ADMIN_API_KEY: 'a'.repeat(32),
  MASTER_KEY: randomBytes(32).toString('base64'),
  API_KEY_HASH_SECRET: randomBytes(32).toString('base64'),
};

describe('configuration validated at start', () => {
  it('accepts a complete environment and applies defaults', () => {
    const config = loadAppConfig({ ...valid });
    expect(config.PORT).toBe(8080);
    expect(config.CONNECTOR_TIMEOUT_MS).toBe(30000);
    expect(loadAppConfig({ ...valid, PORT: '9090' }).PORT).toBe(9090);
  });

  it('names a missing variable', () => {
    const { MASTER_KEY: _omit, ...rest } = valid;
    expect(() => loadAppConfig(rest)).toThrow(/MASTER_KEY/);
  });

  it('names a bad variable without printing its value', () => {
    try {
      loadAppConfig({ ...valid, MASTER_KEY: 'short-secret-value' });
      throw new Error('should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect(String(error)).toContain('MASTER_KEY');
      expect(String(error)).not.toContain('short-secret-value');
    }
    expect(() => loadAppConfig({ ...valid, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadAppConfig({ ...valid, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
