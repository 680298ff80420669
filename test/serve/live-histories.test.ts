import { describe, expect, it } from 'vitest';
import { itemsInTime } from '../../src/data/items-in-time.js';
import { LiveHistories } from '../../src/serve/live-histories.js';
import { loadedHistoryOf } from '../../src/serve/loaded-history.js';

// The store's pairs by internal ids, in (ts, user, item) order: id 0 is no user / item.
const pairs = {
  user: Int32Array.from([1, 2, 1, 3, 1]),
  item: Int32Array.from([1, 2, 3, 1, 1]),
  ts: Float64Array.from([NaN, 1, 2, 3, 4]),
  userExternalIds: ['', 'alice', 'bob', 'carol'],
  itemExternalIds: ['', 'a', 'b', 'new-item'],
};
// Model rows: users bob, alice (carol came after training); items b, a.
const users = ['bob', 'alice'];
const items = ['b', 'a'];
const rows = {
  userRow: (id: string) => (users.indexOf(id) >= 0 ? users.indexOf(id) : undefined),
  itemRow: (id: string) => (items.indexOf(id) >= 0 ? items.indexOf(id) : undefined),
  itemId: (row: number) => items[row],
};
const nothingDeleted = (): boolean => false;

describe("a version's histories in memory", () => {
  it('keeps the model rows per user in time order, repeats kept, and the rest apart by external id', () => {
    const loaded = loadedHistoryOf(pairs, 7, users, items);
    expect(loaded.through).toBe(7);
    expect([...loaded.offsets]).toEqual([0, 1, 3]);
    expect([...loaded.itemRows]).toEqual([0, 1, 1]); // bob: b; alice: a (untimed), a (at 4)
    expect([...loaded.ts]).toEqual([1, NaN, 4]);
    expect(loaded.overlay).toEqual({ users: ['alice', 'carol'], items: ['new-item', 'a'], ts: Float64Array.from([2, 3]) });
  });

  it("merges a user's loaded rows with those added since, deleted items left out, in time order once ordered", () => {
    const histories = new LiveHistories(loadedHistoryOf(pairs, 7, users, items), rows);
    histories.append([
      { user: 'alice', item: 'b', ts: 5 },
      { user: 'dave', item: 'a', ts: 6 },
      { user: 'alice', item: 'newer', ts: 7 },
    ]);
    expect(histories.overlaySize).toBe(5);
    expect(itemsInTime(histories.historyOf('alice', nothingDeleted))).toEqual(['a', 'new-item', 'a', 'b', 'newer']);
    expect(itemsInTime(histories.historyOf('alice', (id) => id === 'a' || id === 'newer'))).toEqual(['new-item', 'b']);
    expect(histories.historyOf('carol', nothingDeleted)).toEqual([{ item: 'a', ts: 3 }]);
    expect(histories.historyOf('dave', nothingDeleted)).toEqual([{ item: 'a', ts: 6 }]);
    expect(histories.historyOf('nobody', nothingDeleted)).toEqual([]);
  });

  it('grows its overlay past its first arrays', () => {
    const histories = new LiveHistories(loadedHistoryOf(pairs, 7, users, items), rows);
    const many = Array.from({ length: 3000 }, (_, k) => ({ user: `u${k % 3}`, item: `x${k}`, ts: k }));
    histories.append(many);
    const u1 = histories.historyOf('u1', nothingDeleted);
    expect(u1).toHaveLength(1000);
    expect(u1[0]).toEqual({ item: 'x1', ts: 1 });
    expect(u1[999]).toEqual({ item: 'x2998', ts: 2998 });
  });
});
