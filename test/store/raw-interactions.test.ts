import { describe, expect, it } from 'vitest';
import { RawInteractionsBuilder } from '../../src/store/raw-interactions.js';
import { UNTIMED_TS } from '../../src/store/untimed.js';

describe('RawInteractionsBuilder', () => {
  it('leaves out deleted items, reads the untimed key as NaN, and grows past its first capacity', () => {
    const deleted = new Uint8Array([0, 0, 1]);
    const rows = new RawInteractionsBuilder(deleted, 2, 2);
    rows.push(1, 1, UNTIMED_TS, 1);
    rows.push(2, 2, 5, 1); // item 2 is deleted
    for (let k = 0; k < 70_000; k++) rows.push(1, 1, 10 + k, 0.5);
    const raw = rows.build();
    expect(raw.n).toBe(70_001);
    expect(raw.ts[0]).toBeNaN();
    expect([raw.userId[1], raw.itemId[1], raw.ts[1], raw.weight[1]]).toEqual([1, 1, 10, 0.5]);
    expect(raw.ts[70_000]).toBe(70_009);
  });

  it('sizes its arrays by the expected rows at once, and still grows past them', () => {
    const rows = new RawInteractionsBuilder(new Uint8Array(2), 1, 1, 100_000);
    expect(rows.capacity).toBe(100_000);
    for (let k = 0; k < 100_000; k++) rows.push(1, 1, k, 1);
    expect(rows.capacity).toBe(100_000);
    rows.push(1, 1, 100_000, 1);
    expect(rows.capacity).toBe(200_000);
    const raw = rows.build();
    expect(raw.n).toBe(100_001);
    expect(raw.ts[100_000]).toBe(100_000);
    expect(new RawInteractionsBuilder(new Uint8Array(2), 1, 1).capacity).toBe(1 << 16);
  });

  it('reports the largest ids met in the scan when a write committed after the ids were read', () => {
    // The scan read max ids 2 and 3, then met user 7 and item 9, written in between.
    const rows = new RawInteractionsBuilder(new Uint8Array(4), 2, 3);
    rows.push(7, 9, 1, 1);
    expect(rows.build()).toMatchObject({ n: 1, maxUserId: 7, maxItemId: 9 });
  });
});
