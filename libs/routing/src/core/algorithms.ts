import { hash32, unitDraw } from './hash';
import type { Choice, Output, SplitEntry, SuccessRateParams, WindowStats } from './routing.types';

/**
 * Volume split, deterministic by payment id: the same payment lands on the same entry on every attempt and every
 * replica. When that entry cannot take the payment (`usable` false: ineligible, circuit open, already tried) its share
 * is spread over the usable entries in proportion to their splits with an independent draw, so payments that were going
 * elsewhere keep their connector. Null when no entry is usable.
 */
export function pickSplitEntry(
  entries: readonly SplitEntry[],
  paymentId: string,
  usable: (index: number) => boolean,
): number | null {
  const chosen = entryAt(entries, unitDraw('split', paymentId) * 100, () => true);
  if (chosen !== null && usable(chosen)) return chosen;
  const spill = entries.reduce((sum, e, i) => (usable(i) ? sum + e.split : sum), 0);
  if (spill === 0) {
    // Only zero-weight entries are usable: they are still better than refusing the payment.
    const first = entries.findIndex((_, i) => usable(i));
    return first >= 0 ? first : null;
  }
  return entryAt(entries, unitDraw('split-spill', paymentId) * spill, usable);
}

function entryAt(entries: readonly SplitEntry[], point: number, usable: (index: number) => boolean): number | null {
  let upTo = 0;
  for (let i = 0; i < entries.length; i++) {
    if (!usable(i)) continue;
    upTo += entries[i].split;
    if (point < upTo) return i;
  }
  return null;
}

/**
 * The choices an output names, best first. For a split: the picked entry, then the others as configured (the order a
 * cascading retry walks).
 */
export function orderOutput(
  output: Output,
  paymentId: string,
  usableChoice: (choice: Choice) => boolean,
): { choices: Choice[]; details: Record<string, unknown> } {
  switch (output.type) {
    case 'single':
      return { choices: [output.data], details: {} };
    case 'priority':
      return { choices: [...output.data], details: {} };
    case 'volume_split': {
      const entries = output.data;
      const picked = pickSplitEntry(entries, paymentId, (i) => usableChoice(entries[i].connector));
      const rest = entries.filter((_, i) => i !== picked).map((e) => e.connector);
      const choices = picked === null ? rest : [entries[picked].connector, ...rest];
      return {
        choices,
        details: { split_point: Math.floor(unitDraw('split', paymentId) * 10000) / 100 },
      };
    }
  }
}

export interface ScoredAccount {
  id: string;
  score: number;
  samples: number;
  cold: boolean;
}

/**
 * A cold account (fewer than min_samples outcomes in the window) is scored at the floor whatever its first outcomes
 * said: two early failures must not bury it, and one lucky success must not hand it all the traffic. So during warm-up
 * cold accounts share traffic evenly, and a new account only takes over from warm ones doing worse than the floor.
 */
export function successScore(stats: WindowStats | undefined, params: SuccessRateParams) {
  const samples = stats ? stats.success + stats.failure + stats.unknown : 0;
  const cold = samples < params.min_samples;
  const observed = stats && samples > 0 ? stats.success / samples : 0;
  return { score: cold ? params.cold_floor : observed, samples, cold };
}

/**
 * Success-rate routing over eligible account ids: best score first; equal scores (typically all cold during warm-up)
 * are ordered by a hash of payment and account, which spreads the warm-up traffic evenly. With probability
 * `exploration_percent`, one of the others goes first, so the window of a worse (or recovering) connector keeps getting
 * fresh outcomes. `seed` (the attempt id) makes the draw reproducible.
 */
export function rankBySuccessRate(
  ids: readonly string[],
  stats: Readonly<Record<string, WindowStats | undefined>>,
  params: SuccessRateParams,
  seed: string,
): { order: ScoredAccount[]; explored: boolean } {
  const scored = ids.map((id) => ({ id, ...successScore(stats[id], params), tie: hash32(`tie:${seed}:${id}`) }));
  scored.sort((a, b) => b.score - a.score || a.tie - b.tie);
  const order: ScoredAccount[] = scored.map(({ id, score, samples, cold }) => ({ id, score, samples, cold }));
  const explore = order.length > 1 && unitDraw('explore', seed) * 100 < params.exploration_percent;
  if (explore) {
    const index = 1 + Math.floor(unitDraw('explore-pick', seed) * (order.length - 1));
    const [picked] = order.splice(index, 1);
    order.unshift(picked);
  }
  return { order, explored: explore };
}
