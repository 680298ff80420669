import { describe, expect, it } from 'vitest';
import { itemsInTime } from '../../src/data/items-in-time.js';

describe('itemsInTime', () => {
  it('orders by time, untimed interactions first', () => {
    expect(
      itemsInTime([
        { item: 'b', ts: 2 },
        { item: 'a', ts: 1 },
        { item: 'c', ts: NaN },
      ]),
    ).toEqual(['c', 'a', 'b']);
  });

  it('breaks ties the same way whatever order the rows come in, and not by id order for every seed', () => {
    const rows = ['1', '2', '3', '4', '5', '6', '7', '8'].map((item) => ({ item, ts: 10 }));
    const once = itemsInTime(rows);
    expect(itemsInTime([...rows].reverse())).toEqual(once);
    expect(once.slice().sort()).toEqual(rows.map((r) => r.item));
    const orders = new Set([1, 2, 3, 4, 5].map((seed) => itemsInTime(rows, seed).join()));
    expect(orders.size).toBeGreaterThan(1);
    expect(orders.has(rows.map((r) => r.item).join())).toBe(false);
  });

  it('keeps a repeated item once per interaction', () => {
    expect(
      itemsInTime([
        { item: 'a', ts: 3 },
        { item: 'b', ts: 1 },
        { item: 'a', ts: 1 },
      ]).filter((i) => i === 'a'),
    ).toHaveLength(2);
  });
});
