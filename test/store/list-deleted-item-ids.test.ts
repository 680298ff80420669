import { expect, it } from 'vitest';
import { listDeletedItemIds, markItemDeleted, openStore } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from './store-dialects.js';

describeEachDialect('listDeletedItemIds', (freshDb) => {
  it('lists exactly the soft-deleted items, in storage order, and none on a fresh store', async () => {
    const dir = tmpDir();
    const store = await openStore(await freshDb());
    expect(await listDeletedItemIds(store)).toEqual([]);
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu1,i2,2\nu2,i3,3\n')]);
    expect(await markItemDeleted(store, 'i3', 100)).toBe(true);
    expect(await markItemDeleted(store, 'i1', 200)).toBe(true);
    expect(await markItemDeleted(store, 'i1', 300)).toBe(false); // already deleted
    expect(await markItemDeleted(store, 'nope')).toBe(false);
    // i1 was stored before i3, whatever the order of deletion.
    expect(await listDeletedItemIds(store)).toEqual(['i1', 'i3']);
    store.close();
  });
});
