import { authorizationOutcome } from './routing-feedback.service';
import { count } from './success-rate.window';

describe('what success-rate routing learns from an attempt change', () => {
  it.each([
    ['authentication_pending', 'charged', null, 'success'],
    ['started', 'authorized', null, 'success'],
    ['pending', 'partial_charged', null, 'success'],
    ['authentication_pending', 'failure', 'UE_1000', 'failure'],
    ['started', 'failure', 'UE_3000', 'failure'],
    ['authentication_pending', 'failure', 'UE_1001', null],
    ['pending', 'failure', 'UE_1002', null],
    ['authentication_pending', 'voided', 'UE_1001', null],
    ['started', 'authentication_pending', null, null],
    ['authorized', 'charged', null, null],
    ['capture_initiated', 'charged', null, null],
  ] as const)('%s → %s (%s) counts as %s', (from, to, unified, expected) => {
    expect(authorizationOutcome(from, to, unified)).toBe(expected);
  });
});

describe('success-rate window counting', () => {
  it('counts newest first and stops at the first entry older than the window', () => {
    const entries = ['1000:s', '900:f', '800:u', '700:s', '100:s'];
    expect(count(entries, 700)).toEqual({ success: 2, failure: 1, unknown: 1 });
    expect(count(entries, 0)).toEqual({ success: 3, failure: 1, unknown: 1 });
  });
});
