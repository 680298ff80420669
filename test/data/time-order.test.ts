import { describe, expect, it } from 'vitest';
import { chronologicalHoldout } from '../../src/data/chronological-holdout.js';
import { resolveHistoryMode } from '../../src/data/history-mode.js';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { perUserInTime, timeOrderOf, timingSummary } from '../../src/data/time-order.js';
import type { InteractionLog } from '../../src/store/interaction-log.js';

/** `users` users who each have items 0..perUser-1, all at time `ts(u, i)` (NaN: untimed). */
function gridLog(users: number, perUser: number, ts: (u: number, i: number) => number): InteractionLog {
  const rows: [number, number][] = [];
  for (let u = 0; u < users; u++) for (let i = 0; i < perUser; i++) rows.push([u, i]);
  return {
    users: Array.from({ length: users }, (_, u) => ({ externalId: `u${u}`, features: {} })),
    items: Array.from({ length: perUser }, (_, i) => ({ externalId: `i${i}`, features: {} })),
    featureFields: [],
    interactions: {
      user: Int32Array.from(rows, (r) => r[0]),
      item: Int32Array.from(rows, (r) => r[1]),
      ts: Float64Array.from(rows, (r) => ts(r[0], r[1])),
      weight: new Float32Array(rows.length).fill(1),
    },
  };
}

describe('time order', () => {
  it('timingSummary: untimed share over all, tied share over the timed ones (hand-checked)', () => {
    // one user: untimed, untimed, 5, 7, 7, 7, 9 → 2/7 untimed; of 5 timed, three share time 7
    const ts = Float64Array.from([NaN, NaN, 5, 7, 7, 7, 9]);
    const order = timeOrderOf({ ts }, 1);
    const byUser = perUserInTime({ user: new Int32Array(7), ts }, 1, order);
    expect(byUser[0].slice(0, 2).sort()).toEqual([0, 1]); // untimed first
    expect(byUser[0].slice(2)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]));
    expect(byUser[0][2]).toBe(2);
    expect(byUser[0][6]).toBe(6);
    // earlier-later pairs: 0+1+2+3+4+5+6 = 21; unordered: (u,u) 1 + the 7s' pairs 1 + 2 = 4
    expect(timingSummary(byUser, ts)).toEqual({ untimedShare: 2 / 7, tiedShare: 3 / 5, unorderedShare: 4 / 21 });
  });

  it('an untimed log is split at random per user, never by item id', () => {
    const log = gridLog(300, 10, () => NaN);
    const mask = chronologicalHoldout(log.interactions, 300, 0.1);
    const held = Array.from(mask.keys())
      .filter((k) => mask[k] === 1)
      .map((k) => log.interactions.item[k]);
    expect(held).toHaveLength(300); // one per user
    // Ties broken by id would hold out item 9 for everyone; a seeded shuffle spreads them.
    expect(new Set(held).size).toBe(10);
    const mean = held.reduce((a, b) => a + b, 0) / held.length;
    expect(mean).toBeGreaterThan(3.5);
    expect(mean).toBeLessThan(5.5);
  });

  it('the split follows interactions, not ids: relabelling the items keeps the same held-out pairs', () => {
    const log = gridLog(50, 8, (u, i) => (i < 4 ? 100 : 200)); // two tie groups per user
    const relabel = (i: number): number => 7 - i;
    const relabelled: InteractionLog = {
      ...log,
      items: log.items.map((_, i) => log.items[relabel(i)]),
      interactions: { ...log.interactions, item: log.interactions.item.map(relabel) },
    };
    const heldOut = (l: InteractionLog): string[] => {
      const mask = chronologicalHoldout(l.interactions, 50, 0.25);
      return Array.from(mask.keys())
        .filter((k) => mask[k] === 1)
        .map((k) => `${l.interactions.user[k]}:${l.items[l.interactions.item[k]].externalId}`);
    };
    expect(heldOut(relabelled)).toEqual(heldOut(log));
    // and within the newest tie group: held-out items come from i4..i7 only
    expect(heldOut(log).every((p) => Number(p.split(':i')[1]) >= 4)).toBe(true);
  });

  it('histories: a tie with the target is not before it; an untimed target has no "before"', () => {
    // u0: i0@1, i1@2, i2@2, i3@3 (split none) → before-histories: i0: -, i1: i0, i2: i0, i3: i0 i1 i2
    const times = [1, 2, 2, 3];
    const s = buildSnapshot(
      gridLog(1, 4, (_, i) => times[i]),
      { split: { kind: 'none' } },
    );
    const before = (k: number) => Array.from(s.userHistory.rows.subarray(0, s.train.historyEnd[k])).sort();
    const rowOf = (k: number) => s.userHistory.rows[s.train.self[k]];
    const byItem = new Map(Array.from(s.train.item, (item, k) => [item, k]));
    expect(before(byItem.get(0)!)).toEqual([]);
    expect(before(byItem.get(1)!)).toEqual([rowOf(byItem.get(0)!)]);
    expect(before(byItem.get(2)!)).toEqual([rowOf(byItem.get(0)!)]);
    expect(before(byItem.get(3)!)).toHaveLength(3);
    // not after the target: its tie group included
    expect([0, 1, 2, 3].map((i) => s.train.tieEnd[byItem.get(i)!])).toEqual([1, 3, 3, 4]);
    const untimed = buildSnapshot(
      gridLog(1, 4, () => NaN),
      { split: { kind: 'none' } },
    );
    expect(Array.from(untimed.train.historyEnd)).toEqual([0, 0, 0, 0]);
    expect(untimed.timing).toEqual({ untimedShare: 1, tiedShare: 0, unorderedShare: 1 });
  });

  it('history mode auto is not-after (time order between times, target left out within a tie)', () => {
    expect(resolveHistoryMode('auto')).toBe('not-after');
    expect(resolveHistoryMode('time-ordered')).toBe('time-ordered');
  });
});
