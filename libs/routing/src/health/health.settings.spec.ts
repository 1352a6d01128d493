import { loadRoutingHealthSettings } from './health.settings';

describe('circuit-breaker settings', () => {
  it('defaults every value', () => {
    expect({ ...loadRoutingHealthSettings({}) }).toEqual({
      ROUTING_BREAKER_WINDOW_SECONDS: 60,
      ROUTING_BREAKER_MIN_FAILURES: 5,
      ROUTING_BREAKER_FAILURE_RATIO: 0.5,
      ROUTING_BREAKER_OPEN_SECONDS: 30,
      ROUTING_BREAKER_PROBE_SECONDS: 45,
    });
  });

  it('reads the environment as numbers', () => {
    const s = loadRoutingHealthSettings({ ROUTING_BREAKER_MIN_FAILURES: '3', ROUTING_BREAKER_FAILURE_RATIO: '0.25' });
    expect(s.ROUTING_BREAKER_MIN_FAILURES).toBe(3);
    expect(s.ROUTING_BREAKER_FAILURE_RATIO).toBe(0.25);
  });

  it('refuses a bad value naming the variable, never its value', () => {
    expect(() =>
      loadRoutingHealthSettings({ ROUTING_BREAKER_OPEN_SECONDS: '0', ROUTING_BREAKER_FAILURE_RATIO: 'x' }),
    ).toThrow(
      /ROUTING_BREAKER_FAILURE_RATIO[\s\S]*ROUTING_BREAKER_OPEN_SECONDS|ROUTING_BREAKER_OPEN_SECONDS[\s\S]*ROUTING_BREAKER_FAILURE_RATIO/,
    );
  });
});
