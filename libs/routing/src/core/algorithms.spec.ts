import { orderOutput, pickSplitEntry, rankBySuccessRate, successScore } from './algorithms';
import { pick, srParams } from './routing.spec-harness';
import type { SplitEntry } from './routing.types';

const split = (...weights: number[]): SplitEntry[] =>
  weights.map((w, i) => ({ connector: pick(`mca_${i}`), split: w }));
const all = () => true;

describe('volume split', () => {
  it('gives the same payment the same entry every time', () => {
    const entries = split(30, 30, 40);
    for (const id of ['pay_a', 'pay_b', 'pay_c']) {
      const first = pickSplitEntry(entries, id, all);
      for (let i = 0; i < 5; i++) expect(pickSplitEntry(entries, id, all)).toBe(first);
    }
  });

  it('never picks a zero-weight entry while another is usable', () => {
    const entries = split(0, 100, 0);
    for (let i = 0; i < 200; i++) expect(pickSplitEntry(entries, `pay_${i}`, all)).toBe(1);
  });

  it('moves only the payments of an unusable entry, spreading them by weight', () => {
    const entries = split(50, 25, 25);
    const moved: number[] = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const id = `pay_${i}`;
      const before = pickSplitEntry(entries, id, all)!;
      const after = pickSplitEntry(entries, id, (index) => index !== 0)!;
      expect(after).not.toBe(0);
      if (before !== 0) expect(after).toBe(before);
      else moved[after]++;
    }
    const share = moved[1] / (moved[1] + moved[2]);
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });

  it('falls back to a zero-weight entry rather than none, and to null when nothing is usable', () => {
    expect(pickSplitEntry(split(100, 0), 'pay_x', (i) => i === 1)).toBe(1);
    expect(pickSplitEntry(split(50, 50), 'pay_x', () => false)).toBeNull();
  });

  it('orders the picked entry first, then the others as configured (the cascade order)', () => {
    const entries = split(0, 0, 100);
    const { choices } = orderOutput({ type: 'volume_split', data: entries }, 'pay_1', all);
    expect(choices.map((c) => c.merchant_connector_id)).toEqual(['mca_2', 'mca_0', 'mca_1']);
  });
});

describe('success-rate scoring', () => {
  const params = srParams({ min_samples: 10, cold_floor: 0.9 });

  it('scores a cold account at the floor, whatever its first outcomes said', () => {
    expect(successScore(undefined, params)).toEqual({ score: 0.9, samples: 0, cold: true });
    expect(successScore({ success: 1, failure: 2, unknown: 0 }, params).score).toBe(0.9);
    expect(successScore({ success: 5, failure: 0, unknown: 0 }, params).score).toBe(0.9);
  });

  it('scores a warm account by its observed rate, unknown outcomes counting against it', () => {
    expect(successScore({ success: 6, failure: 3, unknown: 1 }, params)).toEqual({
      score: 0.6,
      samples: 10,
      cold: false,
    });
  });

  it('ranks the better warm account first and a cold one above a poor warm one', () => {
    const stats = {
      good: { success: 19, failure: 1, unknown: 0 },
      poor: { success: 12, failure: 8, unknown: 0 },
    };
    const noExplore = srParams({ exploration_percent: 0 });
    expect(rankBySuccessRate(['poor', 'good'], stats, noExplore, 's').order.map((o) => o.id)).toEqual(['good', 'poor']);
    expect(rankBySuccessRate(['poor', 'new'], stats, noExplore, 's').order.map((o) => o.id)).toEqual(['new', 'poor']);
  });

  it('spreads ties (warm-up) evenly across payments', () => {
    const noExplore = srParams({ exploration_percent: 0 });
    let first = 0;
    for (let i = 0; i < 2000; i++)
      if (rankBySuccessRate(['a', 'b'], {}, noExplore, `pay_${i}_1`).order[0].id === 'a') first++;
    expect(first / 2000).toBeGreaterThan(0.45);
    expect(first / 2000).toBeLessThan(0.55);
  });

  it('explores about exploration_percent of the time, and reproducibly for the same seed', () => {
    const stats = { good: { success: 20, failure: 0, unknown: 0 }, poor: { success: 10, failure: 10, unknown: 0 } };
    const p = srParams({ exploration_percent: 10 });
    let explored = 0;
    for (let i = 0; i < 5000; i++) {
      const r = rankBySuccessRate(['good', 'poor'], stats, p, `seed_${i}`);
      if (r.explored) {
        explored++;
        expect(r.order[0].id).toBe('poor');
      }
      expect(rankBySuccessRate(['good', 'poor'], stats, p, `seed_${i}`)).toEqual(r);
    }
    expect(explored / 5000).toBeGreaterThan(0.08);
    expect(explored / 5000).toBeLessThan(0.12);
  });
});
