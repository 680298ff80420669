import { describe, expect, it } from 'vitest';
import { chronologicalHoldout } from '../../src/data/chronological-holdout.js';
import { encodeFeature, fitFeatureSpec } from '../../src/data/feature-spec.js';
import { servingHistory } from '../../src/data/serving-history.js';
import { buildSnapshot, ID_FEATURE } from '../../src/data/snapshot.js';
import { buildVocabulary, lookupRow, OOV_ROW } from '../../src/data/vocabulary.js';
import type { InteractionLog } from '../../src/store/interaction-log.js';

function bag(c: { offsets: Int32Array; rows: Int32Array }, e: number): number[] {
  return Array.from(c.rows.subarray(c.offsets[e], c.offsets[e + 1]));
}

// Two users, four items. u0: a@1, b@2, c@3, d@4, a@5 … (10 interactions); u1: b@1, c@2 (2 interactions).
function smallLog(): InteractionLog {
  const u0Items = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2];
  const rows = [...u0Items.map((i, k) => [0, i, 10 + k]), [1, 1, 10], [1, 2, 11]].sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
  return {
    users: [
      { externalId: 'u0', features: { age: 30, tags: ['x', 'y'] } },
      { externalId: 'u1', features: { age: 50, tags: [] } },
    ],
    items: ['a', 'b', 'c', 'd'].map((id, i) => ({ externalId: id, features: { genre: i < 2 ? 'g1' : 'g2' } })),
    featureFields: [
      { entity: 'user', name: 'age', kind: 'numeric' },
      { entity: 'user', name: 'tags', kind: 'multi' },
      { entity: 'item', name: 'genre', kind: 'categorical' },
    ],
    interactions: {
      user: Int32Array.from(rows, (r) => r[0]),
      item: Int32Array.from(rows, (r) => r[1]),
      ts: Float64Array.from(rows, (r) => r[2]),
      weight: new Float32Array(rows.length).fill(1),
    },
  };
}

describe('vocabulary and feature specs', () => {
  it('min-count vocabulary with OOV row 0; unseen tokens map to OOV', () => {
    const v = buildVocabulary(
      new Map([
        ['a', 3],
        ['b', 1],
        ['c', 2],
      ]),
      2,
    );
    expect(v.tokens).toEqual(['', 'a', 'c']);
    expect(lookupRow(v, 'c')).toBe(2);
    expect(lookupRow(v, 'b')).toBe(OOV_ROW);
    expect(lookupRow(v, 'never-seen')).toBe(OOV_ROW);
  });

  it('numeric features are bucketised at quantiles; missing → OOV', () => {
    const records = [1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => ({ externalId: String(i), features: { n: x } }));
    const spec = fitFeatureSpec({ entity: 'user', name: 'n', kind: 'numeric' }, records, 1, 4);
    // 4 buckets over 8 sorted values: boundaries at values[2], values[4], values[6] = 3, 5, 7
    expect(spec.boundaries).toEqual([3, 5, 7]);
    expect(encodeFeature(spec, undefined, 1)).toEqual([1]);
    expect(encodeFeature(spec, undefined, 5)).toEqual([3]);
    expect(encodeFeature(spec, undefined, 100)).toEqual([4]);
    expect(encodeFeature(spec, undefined, undefined)).toEqual([OOV_ROW]);
  });
});

describe('chronologicalHoldout', () => {
  it('holds out the last max(1, floor(0.1 n + 0.5)) per user; users with n < 3 stay in training', () => {
    const log = smallLog();
    const mask = chronologicalHoldout(log.interactions, 2, 0.1);
    const held = Array.from(mask.keys()).filter((k) => mask[k] === 1);
    // u0: n = 10 → 1 held out, its latest (ts 19); u1: n = 2 → none
    expect(held.map((k) => [log.interactions.user[k], log.interactions.ts[k]])).toEqual([[0, 19]]);
  });
});

describe('buildSnapshot', () => {
  it('histories hold only earlier items (the target never leaks in)', () => {
    const log = smallLog();
    const s = buildSnapshot(log, { featureMinCount: 1 });
    const itemOfRow = (row: number) => s.items.specs[0].tokens[row];
    for (let k = 0; k < s.train.user.length; k++) {
      const u = s.train.user[k];
      const hist = Array.from(s.userHistory.rows.subarray(s.userHistory.offsets[u], s.train.historyEnd[k])).map(itemOfRow);
      const all = bag(s.userHistory, u).map(itemOfRow);
      // the history of the example is exactly the prefix before its own position
      expect(all.slice(0, hist.length)).toEqual(hist);
      expect(all[hist.length]).toBe(s.items.externalIds[s.train.item[k]]);
    }
    // u0's validation item is its last (ts 19: item 'c'), not in its training history
    expect(bag(s.validation, 0).map((i) => s.items.externalIds[i])).toEqual(['c']);
    expect(bag(s.trainItems, 0)).toHaveLength(9);
    // serving history includes the validation interaction at the end
    expect(bag(servingHistory(log, s), 0).map(itemOfRow).at(-1)).toBe('c');
  });

  it('encodes ids and features; frequencies sum to 1; explicit split honoured', () => {
    const log = smallLog();
    const validation = new Uint8Array(log.interactions.user.length);
    validation[0] = 1; // the first interaction in time order
    const s = buildSnapshot(log, { split: { kind: 'explicit', validation }, featureMinCount: 1 });
    expect(s.train.user.length).toBe(11);
    expect(s.users.specs.map((x) => x.name)).toEqual([ID_FEATURE, 'age', 'tags']);
    expect(bag(s.users.columns[2], 1)).toEqual([OOV_ROW]); // empty multi-valued → OOV
    expect(bag(s.users.columns[2], 0)).toHaveLength(2);
    expect(s.itemFrequency.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(() => buildSnapshot(log, { split: { kind: 'explicit', validation: new Uint8Array(3) } })).toThrow(
      'explicit validation mask has 3 entries for 12 interactions',
    );
  });
});

describe('strengths', () => {
  it('carries each training example its interaction’s weight, in example order', () => {
    const log = smallLog();
    const s = buildSnapshot({ ...log, interactions: { ...log.interactions, weight: Float32Array.from(log.interactions.ts) } });
    // u0 keeps ts 10…18 (19 held out), then u1's ts 10 and 11; the weight is the time here
    expect(Array.from(s.train.weight!)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 10, 11]);
    expect(Array.from(s.train.user)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('keeps no array when every training interaction weighs the same', () => {
    expect(buildSnapshot(smallLog()).train.weight).toBeNull();
    // only the held-out interaction (u0's newest, ts 19) differs: still nothing to weigh in training
    const log = smallLog();
    const weight = Float32Array.from(log.interactions.ts, (t) => (t === 19 ? 5 : 2));
    expect(buildSnapshot({ ...log, interactions: { ...log.interactions, weight } }).train.weight).toBeNull();
  });
});
