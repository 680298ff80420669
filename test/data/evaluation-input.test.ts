import { describe, expect, it } from 'vitest';
import { evaluationInput } from '../../src/data/evaluation/evaluation-input.js';

const lists = (l: { offsets: Int32Array; items: Int32Array }) =>
  Array.from({ length: l.offsets.length - 1 }, (_, u) => Array.from(l.items.subarray(l.offsets[u], l.offsets[u + 1])).sort());

describe("evaluationInput's test protocol with a minimum rating", () => {
  // 3 users, 5 items. seen: u0 → 0, u1 → 1, u2 → 2. truth (item, rating): u0 → (3, 5), (4, 2); u1 → (0, 4); u2 → (3, 1)
  const protocol = {
    kind: 'test',
    numUsers: 3,
    numItems: 5,
    seen: { user: Int32Array.from([0, 1, 2]), item: Int32Array.from([0, 1, 2]) },
    truth: { user: Int32Array.from([0, 0, 1, 2]), item: Int32Array.from([3, 4, 0, 3]), rating: Float32Array.from([5, 2, 4, 1]) },
  } as const;

  it('keeps the truth rows rated at least R; a user with none is not evaluated; the ranking exclusions stay the seen pairs', () => {
    const input = evaluationInput({ ...protocol, minRating: 4 });
    // u0 keeps item 3 (5 ≥ 4), loses 4 (2); u1 keeps 0 (4 ≥ 4); u2's only row (1) is gone → u2 not evaluated
    expect(lists(input.truth)).toEqual([[3], [0], []]);
    expect(Array.from(input.users)).toEqual([0, 1]);
    expect(input.belowMinRating).toBe(2);
    // the disliked test items (u0's 4, u2's 3) are not excluded: they stay in the ranking
    expect(lists(input.exclude)).toEqual([[0], [1], [2]]);
  });

  it('without a minimum every truth row counts, and a minimum needs the ratings', () => {
    const input = evaluationInput(protocol);
    expect(lists(input.truth)).toEqual([[3, 4], [0], [3]]);
    expect(input.belowMinRating).toBe(0);
    expect(() => evaluationInput({ ...protocol, truth: { user: protocol.truth.user, item: protocol.truth.item }, minRating: 4 })).toThrow(
      "evaluationInput: a minimum rating needs the truth pairs' ratings",
    );
  });
});
