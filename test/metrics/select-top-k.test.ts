import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { selectTopK, TopKHeaps } from '../../src/metrics/select-top-k.js';

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

describe('TopKHeaps', () => {
  it("keeps each row's top k over scores offered tile by tile, equal to one selection over the whole row", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = createRng(seed);
      const rows = 3;
      const n = 400;
      // float32 scores with many ties and a few NaNs; the skip mask is indexed by item.
      const scores = Array.from({ length: rows }, () => Float32Array.from({ length: n }, () => (rng.next() < 0.02 ? NaN : rng.int(30))));
      const skip = Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
      const heaps = new TopKHeaps(rows, 25);
      const tile = 1 + rng.int(60);
      for (let first = 0; first < n; first += tile) {
        const count = Math.min(tile, n - first);
        // One buffer per tile, as a block's scores arrive: row r's scores at r · count.
        const block = new Float32Array(rows * count);
        for (let r = 0; r < rows; r++) block.set(scores[r].subarray(first, first + count), r * count);
        for (let r = 0; r < rows; r++) heaps.offer(r, block, r * count, count, first, skip);
      }
      for (let r = 0; r < rows; r++) expect(Array.from(heaps.take(r))).toEqual(Array.from(selectTopK(scores[r], 25, skip)));
      // take empties the row: the heaps serve the next block of users.
      expect(heaps.take(0).length).toBe(0);
    }
  });
});
