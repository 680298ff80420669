import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { selectTopK } from '../../src/metrics/select-top-k.js';

describe('selectTopK', () => {
  const scores = new Float64Array([0.5, 0.9, 0.5, 0.1, 0.9]);

  it('returns the k best indices best first, ties by lower index', () => {
    // 0.9 at 1 and 4 → 1 first; 0.5 at 0 and 2 → 0 first.
    expect(Array.from(selectTopK(scores, 3))).toEqual([1, 4, 0]);
    expect(Array.from(selectTopK(scores, 5))).toEqual([1, 4, 0, 2, 3]);
  });

  it('leaves out skipped indices and returns fewer when fewer remain', () => {
    const skip = new Uint8Array([0, 1, 0, 1, 0]);
    expect(Array.from(selectTopK(scores, 3, skip))).toEqual([4, 0, 2]);
    expect(Array.from(selectTopK(scores, 10, skip))).toEqual([4, 0, 2]);
    expect(selectTopK(scores, 0).length).toBe(0);
  });

  it('ranks NaN scores last', () => {
    expect(Array.from(selectTopK(new Float64Array([NaN, 0.2, NaN, 0.5]), 3))).toEqual([3, 1, 0]);
  });

  it('reads a window of a larger buffer', () => {
    const block = new Float64Array([9, 9, 0.1, 0.3, 0.2, 9]);
    expect(Array.from(selectTopK(block, 2, null, 2, 3))).toEqual([1, 2]);
  });

  it('equals a full sort on random scores with many ties (5 seeds)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = createRng(seed);
      const s = Float64Array.from({ length: 500 }, () => rng.int(40)); // ~12 items per distinct score
      const skip = Uint8Array.from({ length: 500 }, () => (rng.next() < 0.2 ? 1 : 0));
      const expected = Array.from({ length: 500 }, (_, i) => i)
        .filter((i) => skip[i] === 0)
        .sort((a, b) => s[b] - s[a] || a - b)
        .slice(0, 37);
      expect(Array.from(selectTopK(s, 37, skip))).toEqual(expected);
    }
  });
});
