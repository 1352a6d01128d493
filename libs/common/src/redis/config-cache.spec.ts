import type Redis from 'ioredis';
import { ConfigCache } from './config-cache';

describe('ConfigCache loads', () => {
  const cache = () => new ConfigCache({} as Redis);

  it('coalesces concurrent misses outside transactions into one load', async () => {
    const c = cache();
    let loads = 0;
    let release!: (v: string) => void;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const first = c.get('m1', 'profile|p1', load);
    const second = c.get('m1', 'profile|p1', load);
    release('row');
    expect(await Promise.all([first, second])).toEqual(['row', 'row']);
    expect(loads).toBe(1);
  });

  it('never makes a caller inside a transaction wait for a load another caller started', async () => {
    const c = cache();
    // Another request's load, stuck waiting for a pool connection that never frees.
    const stuck = c.get('m1', 'profile|p1', () => new Promise<string>(() => undefined));
    const inTransaction = await c.get('m1', 'profile|p1', () => Promise.resolve('row on my connection'), true);
    expect(inTransaction).toBe('row on my connection');
    // Its result is cached for everyone after it.
    expect(await c.get('m1', 'profile|p1', () => Promise.resolve('not read'))).toBe('row on my connection');
    void stuck;
  });
});
