import type { Queue } from 'bullmq';
import type { AppConfig } from '@switchyard/config';
import { SyncScheduler } from './sync-scheduler';

const scheduler = (overrides?: string) =>
  new SyncScheduler(
    {} as Queue,
    {} as Queue,
    {
      PAYMENT_SYNC_SCHEDULE: '30,60,120',
      PAYMENT_SYNC_SWEEP_SECONDS: 60,
      PAYMENT_SYNC_SCHEDULE_OVERRIDES: overrides,
    } as AppConfig,
  );

describe('inquiry schedule', () => {
  it('widens, then repeats the last interval', () => {
    const s = scheduler();
    expect([0, 1, 2, 3, 10].map((r) => s.delayFor(r))).toEqual([30000, 60000, 120000, 120000, 120000]);
  });

  it('takes a per-connector schedule where one is configured', () => {
    const s = scheduler('tap:5,10;plural:1');
    expect([0, 1, 2].map((r) => s.delayFor(r, 'tap'))).toEqual([5000, 10000, 10000]);
    expect(s.delayFor(4, 'plural')).toBe(1000);
    expect(s.delayFor(0, 'generic')).toBe(30000);
    expect(s.maxDelayMs()).toBe(120000);
  });
});
