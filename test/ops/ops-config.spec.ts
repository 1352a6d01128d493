import { randomBytes } from 'node:crypto';
import { loadAppConfig } from '@switchyard/config';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  ADMIN_API_KEY: 'a'.repeat(32),
  MASTER_KEY: randomBytes(32).toString('base64'),
  API_KEY_HASH_SECRET: randomBytes(32).toString('base64'),
};

/** The operations variables are validated at start like every other, naming the variable and never its value. */
describe('operations configuration', () => {
  it('has defaults: 24 h overlaps, a 24 h metrics window, 8 h dashboard sessions, no metrics token', () => {
    const config = loadAppConfig({ ...valid });
    expect(config).toMatchObject({
      API_KEY_ROTATION_OVERLAP_SECONDS: 86400,
      CONNECTOR_ROTATION_OVERLAP_SECONDS: 86400,
      METRICS_WINDOW_SECONDS: 86400,
      DASHBOARD_SESSION_TTL_SECONDS: 28800,
    });
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(loadAppConfig({ ...valid, API_KEY_ROTATION_OVERLAP_SECONDS: '3600' }).API_KEY_ROTATION_OVERLAP_SECONDS).toBe(
      3600,
    );
  });

  it.each([
    ['API_KEY_ROTATION_OVERLAP_SECONDS', '-1'],
    ['CONNECTOR_ROTATION_OVERLAP_SECONDS', 'a day'],
    ['METRICS_WINDOW_SECONDS', '10'],
    ['DASHBOARD_SESSION_TTL_SECONDS', '999999'],
    ['METRICS_TOKEN', 'short-token-value'],
  ])('refuses a bad %s without printing it', (name, value) => {
    expect(() => loadAppConfig({ ...valid, [name]: value })).toThrow(name);
    try {
      loadAppConfig({ ...valid, [name]: value });
    } catch (error: unknown) {
      expect(String(error)).not.toContain(value);
    }
  });
});
