import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { OOV_ROW } from '../../src/data/vocabulary.js';
import { gatherLeaveOneOut } from '../../src/model/batch-bags.js';

describe('gatherLeaveOneOut', () => {
  // user 0 owns rows [10, 11, 12, 13, 14] at positions 0..4; user 1 owns [20] at 5; user 2 [30, 31] at 6..7
  const history = { offsets: Int32Array.from([0, 5, 6, 8]), rows: Int32Array.from([10, 11, 12, 13, 14, 20, 30, 31]) };

  it('every other row of the user, the target left out; a lone item becomes the OOV row', () => {
    const bags = gatherLeaveOneOut(history, [0, 1, 2], [2, 5, 7], 0, createRng(1));
    expect(Array.from(bags.offsets)).toEqual([0, 4, 5, 6]);
    expect(Array.from(bags.rows.subarray(0, 4)).sort()).toEqual([10, 11, 13, 14]);
    expect(bags.rows[4]).toBe(OOV_ROW);
    expect(bags.rows[5]).toBe(30);
  });

  it('above the cap: a window of cap distinct rows, never the target, varying from call to call', () => {
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let t = 0; t < 50; t++) {
      const bags = gatherLeaveOneOut(history, [0], [1], 2, rng);
      const rows = Array.from(bags.rows);
      expect(rows).toHaveLength(2);
      expect(new Set(rows).size).toBe(2);
      expect(rows).not.toContain(11);
      seen.add(rows.sort().join());
    }
    expect(seen.size).toBeGreaterThan(2);
  });
});
