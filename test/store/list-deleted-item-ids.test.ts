import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDeletedItemIds, markItemDeleted, openStore } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';

describe('listDeletedItemIds', () => {
  it('lists exactly the soft-deleted items, in storage order, and none on a fresh store', async () => {
    const dir = tmpDir();
    const store = await openStore(path.join(dir, 'd.db'));
    expect(listDeletedItemIds(store)).toEqual([]);
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu1,i2,2\nu2,i3,3\n')]);
    expect(markItemDeleted(store, 'i3', 100)).toBe(true);
    expect(markItemDeleted(store, 'i1', 200)).toBe(true);
    expect(markItemDeleted(store, 'i1', 300)).toBe(false); // already deleted
    expect(markItemDeleted(store, 'nope')).toBe(false);
    // i1 was stored before i3, whatever the order of deletion.
    expect(listDeletedItemIds(store)).toEqual(['i1', 'i3']);
    store.close();
  });
});
