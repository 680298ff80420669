import { describe, expect, it } from 'vitest';
import { SeenByRow } from '../../src/serve/seen-by-row.js';
import { seenRowsOf } from '../../src/serve/snapshot-parts.js';
import { VectorsById } from '../../src/serve/vectors-by-id.js';
import { packStrings, rowMap, unpackStrings } from '../../src/serve/packed-strings.js';
import { TimeSlicer } from '../../src/serve/time-slicer.js';

const side = (ids: string[]): VectorsById => new VectorsById({ ids, vectors: new Float32Array(ids.length), dim: 1 });

describe('seen items by model rows', () => {
  // Internal ids 1.. as the store numbers them; '' where no entity has the id.
  const pairs = {
    user: Int32Array.from([1, 1, 2, 1, 3, 2, 1]),
    item: Int32Array.from([3, 1, 1, 3, 2, 4, 5]),
    userExternalIds: ['', 'alice', 'bob', 'carol'],
    itemExternalIds: ['', 'a', 'b', 'c', 'gone-from-model', 'e'],
  };
  // Model rows: users bob, alice, dave (carol not in the model); items e, c, b, a.
  const users = ['bob', 'alice', 'dave'];
  const items = ['e', 'c', 'b', 'a'];

  it('keeps, per model user, the distinct model items it interacted with, sorted by row', () => {
    const rows = seenRowsOf(pairs, users, items);
    const of = (u: number): number[] => [...rows.itemRows.subarray(rows.offsets[u], rows.offsets[u + 1])];
    expect(of(0)).toEqual([3]); // bob: a (gone-from-model is not in the model)
    expect(of(1)).toEqual([0, 1, 3]); // alice: e, c (twice), a
    expect(of(2)).toEqual([]); // dave: nothing
    expect(rows.offsets).toHaveLength(users.length + 1);
  });

  it('answers get/size/has by external ids, as a Map of Sets would for the model items', () => {
    const seen = new SeenByRow(side(users), side(items), seenRowsOf(pairs, users, items));
    const alice = seen.get('alice')!;
    expect(alice.size).toBe(3);
    expect(['a', 'b', 'c', 'e', 'zzz'].filter((id) => alice.has(id))).toEqual(['a', 'c', 'e']);
    expect(seen.get('bob')?.has('a')).toBe(true);
    expect(seen.get('dave')).toBeUndefined();
    expect(seen.get('carol')).toBeUndefined();
    expect(seen.get('nobody')).toBeUndefined();
  });
});

describe('packed strings', () => {
  it('round-trip any strings, empty and non-ASCII ones included, and map them to rows', async () => {
    const list = ['', 'i1', 'élan', '😀x', 'tab\there', '', 'z'.repeat(5000)];
    const slicer = new TimeSlicer(0);
    const back = await unpackStrings(packStrings(list), slicer);
    expect(back).toEqual(list);
    expect([...(await rowMap(['', 'a', 'b'], slicer, 1))]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
